//! The drift audit: the checked-in spec against the pinned SDK inventory,
//! and the extractor on files copied from the SDK
//! (`tests/fixtures/drift/`).

use std::path::{Path, PathBuf};

use xtask::drift::extract::{extract, read_tree, Release, SOURCE_ROOT};
use xtask::drift::inventory::{Inventory, Request};

/// Every difference between `spec/antom` and the pinned SDK release is
/// documented in `spec/drift/exclusions.yaml`, and no exclusion is stale.
#[test]
fn the_spec_has_no_undocumented_drift() {
    let root = xtask::project_root();
    let outcome = xtask::drift::audit_root(&root).unwrap_or_else(|e| panic!("{e}"));
    if let Err(e) = outcome.verdict() {
        panic!("{}\n{e}", outcome.render(false));
    }
}

/// The checked-in inventory is exactly what the extractor writes.
#[test]
fn the_pinned_inventory_is_canonical() {
    let root = xtask::project_root();
    let rel = xtask::drift::pinned_inventory(&root).unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(root.join(&rel))
        .unwrap()
        .replace("\r\n", "\n");
    let inventory = Inventory::parse(&text, &rel).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(inventory.to_json(), text, "{rel} is not in canonical form");
    assert_eq!(rel, xtask::drift::inventory_path(&inventory.version));
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drift/sdk")
}

fn fixture_inventory() -> Inventory {
    let files = read_tree(&fixtures().join(SOURCE_ROOT)).unwrap();
    let release = Release {
        package: "global-open-sdk-python".into(),
        version: "1.7.1".into(),
        file: "global_open_sdk_python-1.7.1-py3-none-any.whl".into(),
        sha256: "87ee5aa4bc18d8ab0d52f2f2519eb09349ecbd03de47dbc59af6de762b078b0e".into(),
    };
    extract(&release, &files)
}

fn request<'a>(inv: &'a Inventory, class: &str) -> &'a Request {
    inv.requests
        .iter()
        .find(|r| r.class == class)
        .unwrap_or_else(|| panic!("no request class {class}"))
}

#[test]
fn requests_paths_fields_and_responses() {
    let inv = fixture_inventory();
    let names: Vec<&str> = inv.requests.iter().map(|r| r.class.as_str()).collect();
    assert_eq!(
        names,
        [
            "AlipayCaptureRequest",
            "AlipayPayRequest",
            "AlipayProductUploadImageRequest",
            "AlipayRetrievePaymentSessionRequest",
            "EntryCodePaymentRequest"
        ],
        "base classes and notification classes are not requests"
    );

    let capture = request(&inv, "AlipayCaptureRequest");
    assert_eq!(
        capture.path.as_deref(),
        Some("/ams/api/v1/payments/capture")
    );
    assert_eq!(
        capture.fields,
        [
            "captureAmount",
            "captureRequestId",
            "captureType",
            "goods",
            "isLastCapture",
            "paymentId",
            "shippings",
            "transit"
        ]
    );
    assert_eq!(capture.refs, ["Amount"], "only classes the fixtures define");
    let response = capture.response.as_ref().unwrap();
    assert_eq!(response.class, "AlipayCaptureResponse");
    assert_eq!(
        response.fields,
        [
            "acquirerInfo",
            "acquirerReferenceNo",
            "captureAmount",
            "captureId",
            "captureRequestId",
            "captureTime",
            "paymentId",
            "result"
        ]
    );

    // A path-constant member, spelled with the SDK's doubled slash; the
    // request writes a snake_case key; the response adds its base's `result`.
    let retrieve = request(&inv, "AlipayRetrievePaymentSessionRequest");
    assert_eq!(
        retrieve.path.as_deref(),
        Some("/ams/api//v1/payments/retrievePaymentSession")
    );
    assert_eq!(retrieve.fields, ["payment_request_id"]);
    assert_eq!(
        retrieve.response.as_ref().unwrap().fields,
        ["customizedInfo", "order", "promotionResults", "result"]
    );

    // Inherits the base request's fields and response.
    let entry = request(&inv, "EntryCodePaymentRequest");
    assert_eq!(entry.path.as_deref(), Some("/ams/api/v1/payments/pay"));
    assert_eq!(
        entry.fields,
        ["paymentAmount", "paymentRequestId", "productCode"]
    );
    assert_eq!(entry.response.as_ref().unwrap().class, "AlipayPayResponse");

    // Bound by the upload executor's operation table; it maps no attribute
    // to a JSON name, so its attributes are listed instead.
    let upload = request(&inv, "AlipayProductUploadImageRequest");
    assert_eq!(
        upload.path.as_deref(),
        Some("/ams/api/v1/billing/product/uploadImage")
    );
    assert!(upload.fields.is_empty());
    assert_eq!(upload.attributes, ["product_id"]);
    assert_eq!(
        upload.response.as_ref().unwrap().fields,
        ["imageName", "imageUrl", "productId", "result"]
    );
}

#[test]
fn models_enums_and_path_tables() {
    let inv = fixture_inventory();
    let model = |name: &str| {
        inv.models
            .iter()
            .find(|m| m.class == name)
            .unwrap_or_else(|| panic!("no model {name}"))
    };
    assert_eq!(model("Amount").fields, ["currency", "value"]);
    assert_eq!(
        model("RiskScoreDetail").fields,
        ["riskInfoCode", "riskInfoCodeResult"]
    );
    // The guard checks "supportBanks " (with a space); the key read is
    // "supportBanks".
    assert_eq!(
        model("PaymentOptionDetail").fields,
        ["funding", "supportBanks", "supportCardBrands"]
    );

    let names: Vec<&str> = inv.enums.iter().map(|e| e.class.as_str()).collect();
    assert_eq!(names, ["CompanyType", "DisputeEvidenceType"]);
    // The wire values are to_ams_dict's, not the members' values.
    assert_eq!(
        inv.enums[1].values,
        [
            "DISPUTE_EVIDENCE_AI",
            "DISPUTE_EVIDENCE_FILE",
            "DISPUTE_EVIDENCE_TEMPLATE"
        ]
    );
    // Two files define CompanyType: the snake_case module is kept.
    assert_eq!(inv.enums[0].file, "model/company_type.py");
    assert_eq!(inv.enums[0].duplicates, ["model/companyType.py"]);
    assert!(inv.enums[0]
        .values
        .contains(&"SOLE_PROPRIETORSHIP".to_owned()));

    // AntomPathConstants is a path table, not an enum; the paths no request
    // class uses are unbound.
    assert!(inv
        .unbound_paths
        .contains(&"/ams/api/v1/payments/syncArrear".to_owned()));
    assert!(!inv
        .unbound_paths
        .contains(&"/ams/api/v1/payments/pay".to_owned()));
}

#[test]
fn extraction_is_canonical_and_deterministic() {
    let a = fixture_inventory();
    assert!(a.problems().is_empty(), "{:?}", a.problems());
    let b = fixture_inventory();
    assert_eq!(a.to_json(), b.to_json());
    let back = Inventory::parse(&a.to_json(), "fixture").unwrap();
    assert_eq!(back, a);
}

fn temp_root(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-drift-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("spec/drift")).unwrap();
    dir
}

#[test]
fn bad_checked_in_files_are_errors_that_name_the_file() {
    let root = temp_root("bad-files");
    let e = xtask::drift::audit_root(&root).unwrap_err().to_string();
    assert!(e.contains("--refresh"), "{e}");

    let inventory = "spec/drift/global-open-sdk-python-1.7.1.json";
    std::fs::write(root.join(inventory), "{\"format\": 1,").unwrap();
    let e = xtask::drift::audit_root(&root).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!("{inventory}: not an SDK inventory")),
        "{e}"
    );

    std::fs::write(root.join(inventory), fixture_inventory().to_json()).unwrap();
    std::fs::write(
        root.join("spec/drift/exclusions.yaml"),
        "exclusions:\n  - in: sdk\n    paths: [/x]\n",
    )
    .unwrap();
    let e = xtask::drift::audit_root(&root).unwrap_err().to_string();
    assert!(
        e.contains("spec/drift/exclusions.yaml has errors:\n  - 2:5: missing `reason`"),
        "{e}"
    );

    std::fs::write(
        root.join("spec/drift/global-open-sdk-python-1.7.0.json"),
        "{}",
    )
    .unwrap();
    let e = xtask::drift::audit_root(&root).unwrap_err().to_string();
    assert!(e.contains("several inventories"), "{e}");
    let _ = std::fs::remove_dir_all(&root);
}
