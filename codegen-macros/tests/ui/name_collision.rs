antom_codegen_macros::antom_api!("tests/ui/specs/collision");

fn main() {}
