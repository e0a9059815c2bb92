//! The engine's snapshot fixtures (`codegen/tests/fixtures/<feature>/`) are
//! compiled, not only compared: `codegen/tests/snapshots.rs` pins
//! `render_module(generate(fixture))` as text, and each module below is
//! `generate(fixture)` itself (through `antom_api!`), so a snapshot can never
//! hold code that does not compile. (Here because the code needs
//! `antom-runtime`.)

// Generated code compiles without a warning (dead code aside: nothing here
// calls most of it).
#![deny(warnings)]

macro_rules! fixtures {
    ($($name:ident => $dir:literal),* $(,)?) => {
        $(
            #[allow(dead_code)]
            mod $name {
                antom_codegen_macros::antom_api!($dir);
            }
        )*
    };
}

fixtures! {
    endpoint => "../codegen/tests/fixtures/endpoint",
    enums => "../codegen/tests/fixtures/enum",
    inquiry => "../codegen/tests/fixtures/inquiry",
    model => "../codegen/tests/fixtures/model",
    notification => "../codegen/tests/fixtures/notification",
    result_codes => "../codegen/tests/fixtures/result_codes",
}

#[test]
fn every_snapshot_fixture_is_compiled() {
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures");
    let mut on_disk: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    on_disk.sort();
    assert_eq!(
        on_disk,
        [
            "endpoint",
            "enum",
            "inquiry",
            "model",
            "notification",
            "result_codes"
        ],
        "a new fixture needs a line in `fixtures!` above"
    );
}

#[test]
fn compiled_fixtures_answer_like_their_snapshots() {
    // One look into each module, so the compiled items are the ones the
    // snapshots show.
    assert!(!endpoint::endpoints::ALL.is_empty());
    assert!(!result_codes::codes::ResultCode::KNOWN.is_empty());
    assert!(!notification::notifications::NotificationKind::ALL.is_empty());
}
