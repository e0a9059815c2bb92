//! `antom-conformance-adapter`: the reference implementation (the generated
//! client `antom` over `antom-runtime`) behind the adapter protocol of
//! `PROTOCOL.md`, on stdin/stdout.

use std::process::ExitCode;
use std::sync::Arc;

use antom_conformance::adapter::serve;
use antom_conformance::reference::ReferenceImplementation;
use tokio::io::BufReader;

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("antom-conformance-adapter: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(serve(
        Arc::new(ReferenceImplementation::new()),
        BufReader::new(tokio::io::stdin()),
        tokio::io::stdout(),
    ));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("antom-conformance-adapter: {e}");
            ExitCode::from(1)
        }
    }
}
