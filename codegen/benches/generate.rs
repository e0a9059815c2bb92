//! Generation benchmarks on the full spec (`spec/antom`).
//!
//! - `load_spec`: parsing and validating the YAML alone (the reference).
//! - `macro_expansion`: load + `generate_inline` (the proc-macro's work).
//! - `full_generation`: load + `generate` + prettyplease for every module +
//!   the reference markdown (the work of `cargo xtask gen`).

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/antom")
}

fn benches(c: &mut Criterion) {
    let dir = spec_dir();
    let mut group = c.benchmark_group("spec");
    group.sample_size(20);
    group.bench_function("load_spec", |b| {
        b.iter(|| antom_spec::load_dir(&dir).expect("spec loads"))
    });
    group.bench_function("macro_expansion", |b| {
        b.iter(|| {
            let spec = antom_spec::load_dir(&dir).expect("spec loads");
            antom_codegen::generate_inline(&spec).expect("spec generates")
        })
    });
    group.bench_function("full_generation", |b| {
        b.iter(|| {
            let spec = antom_spec::load_dir(&dir).expect("spec loads");
            let modules = antom_codegen::generate(&spec).expect("spec generates");
            let mut bytes = 0;
            for m in &modules {
                bytes += antom_codegen::render_module(m).expect("renders").len();
            }
            bytes + antom_codegen::reference_markdown(&spec).len()
        })
    });
    group.finish();
}

criterion_group!(generation, benches);
criterion_main!(generation);
