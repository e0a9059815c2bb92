//! The vocabulary of a spec diff: what differs ([`Difference`]), how much it
//! matters ([`Class`]) and what that implies for the generated crate's
//! version ([`Bump`]).

use std::fmt;

use serde::Serialize;

/// How much a difference matters, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// What goes over the wire, or what a client does about it, changed
    /// incompatibly: a client built on the old spec misbehaves against the
    /// new one.
    WireBreaking,
    /// Code written against the old generated crate no longer compiles (a
    /// type, field, variant, constant or method renamed or removed, a field
    /// made required, a Rust type changed).
    ApiBreaking,
    /// Something new or more permissive, compatible with existing clients and
    /// code.
    Additive,
    /// Only texts changed: docs, messages, examples, uncertainty notes.
    Documentation,
}

impl Class {
    /// Every class, most severe first.
    pub const ALL: [Class; 4] = [
        Class::WireBreaking,
        Class::ApiBreaking,
        Class::Additive,
        Class::Documentation,
    ];

    /// The class's name in reports and JSON (`wire-breaking`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Class::WireBreaking => "wire-breaking",
            Class::ApiBreaking => "api-breaking",
            Class::Additive => "additive",
            Class::Documentation => "documentation",
        }
    }

    /// Whether the class fails `cargo xtask spec-diff` (without
    /// `--allow-breaking`).
    pub fn is_breaking(self) -> bool {
        matches!(self, Class::WireBreaking | Class::ApiBreaking)
    }

    /// The version bump a change of this class implies on its own.
    pub fn bump(self) -> Bump {
        match self {
            Class::WireBreaking | Class::ApiBreaking => Bump::Major,
            Class::Additive => Bump::Minor,
            Class::Documentation => Bump::Patch,
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A semver bump, smallest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Docs only.
    Patch,
    /// Compatible additions.
    Minor,
    /// Breaking changes.
    Major,
}

impl Bump {
    /// The bump's name (`none`, `patch`, `minor`, `major`).
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// The version after this bump of `current` (`MAJOR.MINOR.PATCH`, a
    /// pre-release or build suffix dropped), or `None` when `current` is not
    /// such a version. Below 1.0 a breaking change bumps the minor version
    /// and anything else the patch version (Cargo's compatibility rule for
    /// `0.x`; for `0.0.x` every bump is a patch bump).
    pub fn next_version(self, current: &str) -> Option<String> {
        let core = current.split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
        let (Some(Some(major)), Some(Some(minor)), Some(Some(patch)), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let (major, minor, patch) = match (self, major, minor) {
            (Bump::None, ..) => (major, minor, patch),
            (_, 0, 0) => (0, 0, patch + 1),
            (Bump::Major, 0, _) => (0, minor + 1, 0),
            (_, 0, _) => (0, minor, patch + 1),
            (Bump::Major, ..) => (major + 1, 0, 0),
            (Bump::Minor, ..) => (major, minor + 1, 0),
            (Bump::Patch, ..) => (major, minor, patch + 1),
        };
        Some(format!("{major}.{minor}.{patch}"))
    }
}

/// Which side of the toolkit a difference is named in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum View {
    /// An item of the spec, by its spec name (`model CaptureRequest`).
    Spec,
    /// An item of the generated crate, by its Rust path
    /// (`antom::models::CaptureRequest::capture_amount`).
    Rust,
}

/// The kind of item a difference is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A spec endpoint.
    Endpoint,
    /// A spec model.
    Model,
    /// A spec enum.
    Enum,
    /// A spec notification.
    Notification,
    /// An entry of the result-code catalogue.
    ResultCode,
    /// An SDK event code.
    SdkEventCode,
    /// A gateway region.
    Region,
    /// The sandbox rule.
    Sandbox,
    /// The idempotency rule.
    Idempotency,
    /// The notification acknowledgement.
    Acknowledgement,
    /// A generated struct.
    Struct,
    /// A generated enum.
    #[serde(rename = "rust-enum")]
    RustEnum,
    /// A public field of a generated struct.
    Field,
    /// A generated constructor (`new`).
    Constructor,
    /// A variant of a generated enum.
    Variant,
    /// A generated method.
    Method,
    /// A generated constant.
    Const,
    /// A re-export in the generated crate.
    ReExport,
    /// A trait implementation of a generated type.
    Impl,
}

impl Kind {
    /// The kind's name in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Endpoint => "endpoint",
            Kind::Model => "model",
            Kind::Enum => "enum",
            Kind::Notification => "notification",
            Kind::ResultCode => "result-code",
            Kind::SdkEventCode => "sdk-event-code",
            Kind::Region => "region",
            Kind::Sandbox => "sandbox",
            Kind::Idempotency => "idempotency",
            Kind::Acknowledgement => "acknowledgement",
            Kind::Struct => "struct",
            Kind::RustEnum => "rust-enum",
            Kind::Field => "field",
            Kind::Constructor => "constructor",
            Kind::Variant => "variant",
            Kind::Method => "method",
            Kind::Const => "const",
            Kind::ReExport => "re-export",
            Kind::Impl => "impl",
        }
    }

    /// The word that names an item of this kind in a report line.
    pub fn label(self) -> &'static str {
        match self {
            Kind::ResultCode => "result code",
            Kind::SdkEventCode => "SDK event code",
            Kind::RustEnum => "enum",
            Kind::ReExport => "re-export",
            other => other.as_str(),
        }
    }

    /// Whether items of this kind are named by spec name or Rust path.
    pub fn view(self) -> View {
        match self {
            Kind::Endpoint
            | Kind::Model
            | Kind::Enum
            | Kind::Notification
            | Kind::ResultCode
            | Kind::SdkEventCode
            | Kind::Region
            | Kind::Sandbox
            | Kind::Idempotency
            | Kind::Acknowledgement => View::Spec,
            _ => View::Rust,
        }
    }
}

/// The kind of a part of a spec item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MemberKind {
    /// A model field, by wire name.
    Field,
    /// An enum value, by wire value.
    Value,
    /// A result code an endpoint or notification returns.
    Code,
    /// A region's gateway host, by URL.
    Host,
}

impl MemberKind {
    /// The member kind's name in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MemberKind::Field => "field",
            MemberKind::Value => "value",
            MemberKind::Code => "code",
            MemberKind::Host => "host",
        }
    }
}

/// A part of a spec item: a field of a model, a value of an enum, ...
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Member {
    /// What the part is.
    pub kind: MemberKind,
    /// Its name.
    pub name: String,
}

/// What happened to the item (or member).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Only in the new spec.
    Added,
    /// Only in the old spec.
    Removed,
    /// In both under different names (`old` and `new` hold the names).
    Renamed,
    /// In both, one aspect differs (`aspect`, `old`, `new`).
    Changed,
}

impl ChangeKind {
    /// The change's name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// The property of an item that changed: spec keys by their YAML spelling,
/// plus `signature` and `defaultHost`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Aspect {
    /// `doc`.
    Doc,
    /// `path`.
    Path,
    /// `family`.
    Family,
    /// `request`.
    Request,
    /// `response`.
    Response,
    /// `idempotencyKey`.
    IdempotencyKey,
    /// `echoes`.
    Echoes,
    /// `sandboxRewrite`.
    SandboxRewrite,
    /// `businessStatus`.
    BusinessStatus,
    /// `uncertain`.
    Uncertain,
    /// `uncertainKeys`.
    UncertainKeys,
    /// A field's `type`.
    Type,
    /// A field's `required`.
    Required,
    /// A field's `maxLength`.
    MaxLength,
    /// A field's `sensitive` (what `Debug` prints of it).
    Sensitive,
    /// The order of fields, values or list entries.
    Order,
    /// An enum value's `outcome`.
    Outcome,
    /// A notification's `payload`.
    Payload,
    /// A notification's `notifyTypes`.
    NotifyTypes,
    /// A notification's `dedupKeys`.
    DedupKeys,
    /// A result code's `status`.
    Status,
    /// A result code's `action` (catalogue or per-endpoint override), or an
    /// SDK event code's `action` text.
    Action,
    /// A result code's `scope`.
    Scope,
    /// A result code's `paymentResult`.
    PaymentResult,
    /// A result code's `message`.
    Message,
    /// A result code's `suggestion`.
    Suggestion,
    /// `sources`.
    Sources,
    /// The `note` of a code an endpoint or notification lists, or of a
    /// region.
    Note,
    /// Whether an endpoint lists a gateway-wide code itself.
    Listed,
    /// An SDK event code's `group`.
    Group,
    /// An SDK event code's `callback`s.
    Callbacks,
    /// An SDK event code's `deprecated`.
    Deprecated,
    /// An SDK event code's `groupNote`.
    GroupNote,
    /// An SDK event code's `description`.
    Description,
    /// A region's `name`.
    Name,
    /// A region's hosts: their order or `recommended` flags.
    Hosts,
    /// The host a region's clients use by default (the first recommended
    /// host, or the first host).
    DefaultHost,
    /// A region's `uploadHost`.
    UploadHost,
    /// The sandbox's `clientIdPrefix`.
    ClientIdPrefix,
    /// The sandbox's `productionPrefix`.
    ProductionPrefix,
    /// The sandbox's `sandboxPrefix`.
    SandboxPrefix,
    /// The idempotency rule's `finalStatuses`.
    FinalStatuses,
    /// The acknowledgement's `httpStatus`.
    HttpStatus,
    /// The acknowledgement's `body`.
    Body,
    /// The acknowledgement's `resendSchedule`.
    ResendSchedule,
    /// A Rust item's type or signature.
    Signature,
}

impl Aspect {
    /// The aspect's name in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::Doc => "doc",
            Aspect::Path => "path",
            Aspect::Family => "family",
            Aspect::Request => "request",
            Aspect::Response => "response",
            Aspect::IdempotencyKey => "idempotencyKey",
            Aspect::Echoes => "echoes",
            Aspect::SandboxRewrite => "sandboxRewrite",
            Aspect::BusinessStatus => "businessStatus",
            Aspect::Uncertain => "uncertain",
            Aspect::UncertainKeys => "uncertainKeys",
            Aspect::Type => "type",
            Aspect::Required => "required",
            Aspect::MaxLength => "maxLength",
            Aspect::Sensitive => "sensitive",
            Aspect::Order => "order",
            Aspect::Outcome => "outcome",
            Aspect::Payload => "payload",
            Aspect::NotifyTypes => "notifyTypes",
            Aspect::DedupKeys => "dedupKeys",
            Aspect::Status => "status",
            Aspect::Action => "action",
            Aspect::Scope => "scope",
            Aspect::PaymentResult => "paymentResult",
            Aspect::Message => "message",
            Aspect::Suggestion => "suggestion",
            Aspect::Sources => "sources",
            Aspect::Note => "note",
            Aspect::Listed => "listed",
            Aspect::Group => "group",
            Aspect::Callbacks => "callbacks",
            Aspect::Deprecated => "deprecated",
            Aspect::GroupNote => "groupNote",
            Aspect::Description => "description",
            Aspect::Name => "name",
            Aspect::Hosts => "hosts",
            Aspect::DefaultHost => "defaultHost",
            Aspect::UploadHost => "uploadHost",
            Aspect::ClientIdPrefix => "clientIdPrefix",
            Aspect::ProductionPrefix => "productionPrefix",
            Aspect::SandboxPrefix => "sandboxPrefix",
            Aspect::FinalStatuses => "finalStatuses",
            Aspect::HttpStatus => "httpStatus",
            Aspect::Body => "body",
            Aspect::ResendSchedule => "resendSchedule",
            Aspect::Signature => "signature",
        }
    }

    /// Whether old and new values are long texts, left out of report lines
    /// (JSON keeps them).
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Aspect::Doc
                | Aspect::Uncertain
                | Aspect::Message
                | Aspect::Suggestion
                | Aspect::Note
                | Aspect::GroupNote
                | Aspect::Description
        )
    }
}

/// Which way a constraint moved, for the aspects whose class depends on it
/// (`required`, `maxLength`, `echoes`, `notifyTypes`, `callback`s, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// Fewer values are valid than before: a field became required, a
    /// length limit was lowered or added, a list lost entries.
    Stricter,
    /// More values are valid than before: the opposite.
    Looser,
    /// Neither: entries were both added and removed, or a value replaced.
    Replaced,
}

/// Which way a model's data travels, for the rules that depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Side {
    /// Reached from an endpoint's request: the client sends it.
    pub request: bool,
    /// Reached from an endpoint's response or a notification payload: the
    /// client receives it.
    pub response: bool,
}

/// One difference between two specs, before classification.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Difference {
    /// The kind of the item (its view follows from it).
    pub kind: Kind,
    /// The item: a spec name (`CaptureRequest`), or a Rust path
    /// (`antom::models::CaptureRequest::capture_amount`; for an impl,
    /// `Default for antom::models::CaptureRequest`). The new name when the
    /// item exists in the new spec.
    pub item: String,
    /// The part of the item that changed, if not the whole item.
    pub member: Option<Member>,
    /// What happened.
    pub change: ChangeKind,
    /// The property that changed (for [`ChangeKind::Changed`]).
    pub aspect: Option<Aspect>,
    /// The old value (or name, or a description of the removed item).
    pub old: Option<String>,
    /// The new value (or name, or a description of the added item).
    pub new: Option<String>,
    /// Which way a constraint moved, where the class depends on it.
    pub direction: Option<Direction>,
    /// Which way the model's data travels, for model fields.
    pub side: Option<Side>,
}

impl Difference {
    /// A difference of `kind` `item` with `change`, nothing else set.
    pub fn new(kind: Kind, item: impl Into<String>, change: ChangeKind) -> Self {
        Difference {
            kind,
            item: item.into(),
            member: None,
            change,
            aspect: None,
            old: None,
            new: None,
            direction: None,
            side: None,
        }
    }

    /// A changed `aspect` from `old` to `new`.
    pub fn changed(
        kind: Kind,
        item: impl Into<String>,
        aspect: Aspect,
        old: impl Into<String>,
        new: impl Into<String>,
    ) -> Self {
        Difference {
            aspect: Some(aspect),
            old: Some(old.into()),
            new: Some(new.into()),
            ..Difference::new(kind, item, ChangeKind::Changed)
        }
    }

    /// The same difference about `member` of the item.
    pub fn of(mut self, kind: MemberKind, name: impl Into<String>) -> Self {
        self.member = Some(Member {
            kind,
            name: name.into(),
        });
        self
    }

    /// The same difference with an old value.
    pub fn was(mut self, old: impl Into<String>) -> Self {
        self.old = Some(old.into());
        self
    }

    /// The same difference with a new value.
    pub fn now(mut self, new: impl Into<String>) -> Self {
        self.new = Some(new.into());
        self
    }

    /// The same difference with a direction.
    pub fn toward(mut self, direction: Direction) -> Self {
        self.direction = Some(direction);
        self
    }

    /// The same difference on a model of `side`.
    pub fn on(mut self, side: Side) -> Self {
        self.side = Some(side);
        self
    }

    /// Which side names the item.
    pub fn view(&self) -> View {
        self.kind.view()
    }
}

/// A classified difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// How much it matters.
    pub class: Class,
    /// What differs.
    pub difference: Difference,
}

/// Every change between two specs, sorted by class, view, kind, item and
/// member.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes, sorted.
    pub changes: Vec<Change>,
}

impl Report {
    /// A report of `changes`, sorted.
    pub fn new(mut changes: Vec<Change>) -> Self {
        changes.sort_by(|a, b| {
            (a.class, a.difference.view(), &a.difference).cmp(&(
                b.class,
                b.difference.view(),
                &b.difference,
            ))
        });
        changes.dedup();
        Report { changes }
    }

    /// Whether the specs are the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many changes have `class`.
    pub fn count(&self, class: Class) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }

    /// The changes of `class`.
    pub fn of_class(&self, class: Class) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.class == class)
    }

    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.class.is_breaking())
    }

    /// The bump the changes imply together.
    pub fn bump(&self) -> Bump {
        self.changes
            .iter()
            .map(|c| c.class.bump())
            .max()
            .unwrap_or(Bump::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_versions_follow_cargos_compatibility_rule() {
        let next = |b: Bump, v: &str| b.next_version(v);
        assert_eq!(next(Bump::Major, "1.4.2").as_deref(), Some("2.0.0"));
        assert_eq!(next(Bump::Minor, "1.4.2").as_deref(), Some("1.5.0"));
        assert_eq!(next(Bump::Patch, "1.4.2").as_deref(), Some("1.4.3"));
        assert_eq!(next(Bump::None, "1.4.2").as_deref(), Some("1.4.2"));
        // Below 1.0 a breaking change bumps the minor version.
        assert_eq!(next(Bump::Major, "0.1.0").as_deref(), Some("0.2.0"));
        assert_eq!(next(Bump::Minor, "0.1.0").as_deref(), Some("0.1.1"));
        assert_eq!(next(Bump::Patch, "0.1.0").as_deref(), Some("0.1.1"));
        assert_eq!(next(Bump::Major, "0.0.3").as_deref(), Some("0.0.4"));
        assert_eq!(next(Bump::Major, "0.3.1-beta.1").as_deref(), Some("0.4.0"));
        assert_eq!(next(Bump::Major, "1.2"), None);
        assert_eq!(next(Bump::Major, "one"), None);
    }

    #[test]
    fn the_report_bump_is_the_largest() {
        let change = |class| Change {
            class,
            difference: Difference::new(Kind::Model, "X", ChangeKind::Added),
        };
        assert_eq!(Report::default().bump(), Bump::None);
        let r = Report::new(vec![change(Class::Documentation), change(Class::Additive)]);
        assert_eq!(r.bump(), Bump::Minor);
        assert!(!r.is_breaking());
        let r = Report::new(vec![change(Class::Additive), change(Class::ApiBreaking)]);
        assert_eq!(r.bump(), Bump::Major);
        assert!(r.is_breaking());
        assert_eq!(r.changes[0].class, Class::ApiBreaking, "sorted by class");
    }
}
