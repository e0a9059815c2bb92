antom_codegen_macros::antom_api!(spec::antom);

fn main() {}
