antom_codegen_macros::antom_api!("tests/ui/specs/does_not_exist");

fn main() {}
