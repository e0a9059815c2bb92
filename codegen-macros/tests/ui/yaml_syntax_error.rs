antom_codegen_macros::antom_api!("tests/ui/specs/bad_yaml");

fn main() {}
