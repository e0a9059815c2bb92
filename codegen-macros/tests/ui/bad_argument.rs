antom_codegen_macros::antom_api!("tests/ui/specs/small", flavours = ["payments"]);

fn main() {}
