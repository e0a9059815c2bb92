//! Generation benchmarks on the full spec (`spec/antom`).
//!
//! - `load_spec`: parsing and validating the YAML alone (the reference).
//! - `macro_expansion`: load + `generate_inline` (the proc-macro's work).
//! - `full_generation`: load + `generate` + prettyplease for every file +
//!   the reference markdown (the work of `cargo xtask gen`).
//!
//! The run also prints the size of one expansion of the full spec (tokens),
//! which the support code living in `antom-protocol` keeps down.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/antom")
}

fn benches(c: &mut Criterion) {
    let dir = spec_dir();
    let spec = antom_spec::load_dir(&dir).expect("spec loads");
    let expansion = antom_codegen::generate_inline(&spec).expect("spec generates");
    fn count(ts: proc_macro2::TokenStream) -> usize {
        ts.into_iter()
            .map(|t| match t {
                proc_macro2::TokenTree::Group(g) => 1 + count(g.stream()),
                _ => 1,
            })
            .sum()
    }
    println!("macro expansion of spec/antom: {} tokens", count(expansion));
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
            let files = antom_codegen::render_files(&modules).expect("renders");
            let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
            bytes + antom_codegen::reference_markdown(&spec).len()
        })
    });
    group.finish();
}

criterion_group!(generation, benches);
criterion_main!(generation);
