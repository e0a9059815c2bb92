antom_codegen_macros::antom_api!("tests/ui/specs/small", families = ["billing"]);

fn main() {}
