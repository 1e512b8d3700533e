//! Reading iJw 3.2 JW305 (start zorg) and JW307 (stop zorg) messages, as the published XSDs
//! define them: one `Bericht` with a `Header` and one `Client`, the client's products under
//! `StartProducten` / `StopProducten`. A stream reader (quick-xml, namespaces resolved) keeps
//! only the fields the portal needs; the client's name and sex are skipped unread, the BSN
//! and birth date are held in types that never print, and leave this module only as the
//! pseudonym and the age band (`super::pseudonym`).

use chrono::NaiveDate;
use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

/// The namespaces of iJw release 3.2.
pub const JW305_NAMESPACE: &str = "http://www.istandaarden.nl/ijw/3_2/jw305/schema";
pub const JW307_NAMESPACE: &str = "http://www.istandaarden.nl/ijw/3_2/jw307/schema";
pub const BASIS_NAMESPACE: &str = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema";

/// Start (JW305, BerichtCode 438) or stop (JW307, BerichtCode 440).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Start,
    Stop,
}

impl Kind {
    pub fn code(self) -> i32 {
        match self {
            Kind::Start => 438,
            Kind::Stop => 440,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Start => "JW305",
            Kind::Stop => "JW307",
        }
    }

    fn products(self) -> (&'static str, &'static str) {
        match self {
            Kind::Start => ("StartProducten", "StartProduct"),
            Kind::Stop => ("StopProducten", "StopProduct"),
        }
    }
}

/// A citizen service number as the message carries it. It never prints: `Debug` says only
/// that it is there.
pub struct Bsn(String);

impl Bsn {
    pub(super) fn digits(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Bsn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Bsn(…)")
    }
}

/// The client's birth date; never printed either.
pub struct BirthDate(pub(super) NaiveDate);

impl std::fmt::Debug for BirthDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BirthDate(…)")
    }
}

/// One StartProduct or StopProduct.
#[derive(Debug, Default)]
pub struct ProductLine {
    /// Its place in the message, from 1.
    pub number: usize,
    pub toewijzing: Option<String>,
    pub category: Option<String>,
    pub code: Option<String>,
    pub begin: Option<NaiveDate>,
    /// JW307 only.
    pub reason: Option<String>,
    pub end: Option<NaiveDate>,
    pub status: Option<u8>,
}

/// One message, as read.
#[derive(Debug)]
pub struct Message {
    /// Where it was found: the file (and the name inside a zip), and its place there when a
    /// file holds several.
    pub place: String,
    pub kind: Kind,
    pub sender: String,
    pub receiver: String,
    pub message_id: String,
    pub dated: Option<NaiveDate>,
    pub bsn: Option<Bsn>,
    pub birth_date: Option<BirthDate>,
    pub lines: Vec<ProductLine>,
}

/// What is wrong, where: the message, the element (its path under `Bericht`) and why, in
/// Dutch. Never holds a BSN, name or birth date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub message: String,
    pub element: String,
    pub reason: String,
}

impl Problem {
    pub fn new(message: &str, element: &str, reason: impl Into<String>) -> Problem {
        Problem {
            message: message.to_owned(),
            element: element.to_owned(),
            reason: reason.into(),
        }
    }
}

/// The elements whose text is read; every other element's text is skipped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    BerichtCode,
    BerichtVersie,
    BerichtSubversie,
    Afzender,
    Ontvanger,
    Identificatie,
    Dagtekening,
    Bsn,
    Geboortedatum,
    ToewijzingNummer,
    Categorie,
    Code,
    Begindatum,
    RedenBeeindiging,
    Einddatum,
    StatusAanlevering,
}

/// Elements nest at most this deep under Bericht in JW305 and JW307 (Client/StartProducten/
/// StartProduct/Product/Code is five); deeper is no iJw message, and is not read further.
const MAX_DEPTH: usize = 8;
/// A message names at most this many products (one client's care).
const MAX_LINES: usize = 100;
/// An upload holds at most this many products, in all its messages.
pub const MAX_LINES_TOTAL: usize = 250_000;
/// A value is at most this long; longer is no iJw value, and is not kept further.
const MAX_VALUE: usize = 256;

/// What the messages of one upload take so far, shared by the threads that read them.
#[derive(Default)]
pub struct Counters {
    pub messages: std::sync::atomic::AtomicUsize,
    pub lines: std::sync::atomic::AtomicUsize,
}

impl Counters {
    /// Whether the upload holds more than one upload may.
    pub fn over(&self) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        self.messages.load(Relaxed) > super::files::MAX_MESSAGES
            || self.lines.load(Relaxed) > MAX_LINES_TOTAL
    }
}

/// A value as a refusal repeats it: at most 40 characters.
pub fn shown(value: &str) -> String {
    if value.chars().count() > 40 {
        format!("{}…", value.chars().take(40).collect::<String>())
    } else {
        value.to_owned()
    }
}
/// Reading a file stops after this many problems.
const MAX_PROBLEMS: usize = 100;

/// The problem of an upload that holds more messages than one upload may.
pub fn too_many(place: &str) -> Problem {
    Problem::new(
        place,
        "bestand",
        format!(
            "Stuur hoogstens {} berichten met samen {} producten tegelijk. Splits de berichten over meer bestanden.",
            crate::web::text::number_nl(super::files::MAX_MESSAGES as u64),
            crate::web::text::number_nl(MAX_LINES_TOTAL as u64)
        ),
    )
}

/// Reads the messages in one file's bytes (one `Bericht`, or several after one another),
/// while the upload's `counters` allow. Returns the messages and the problems found while reading; a message
/// with a problem is still returned where it could be read to its end, so later checks can
/// name its id.
pub fn read(place: &str, bytes: &[u8], counters: &Counters) -> (Vec<Message>, Vec<Problem>) {
    use std::sync::atomic::Ordering::Relaxed;
    let mut problems = Vec::new();
    let Ok(text) = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) else {
        problems.push(Problem::new(
            place,
            "bestand",
            "Het bestand is geen XML in UTF-8.",
        ));
        return (Vec::new(), problems);
    };
    let mut reader = NsReader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    let mut messages = Vec::new();
    let mut current: Option<Message> = None;
    // The path under Bericht, as local names joined by '/', and where each level starts.
    let mut path = String::new();
    let mut starts: Vec<usize> = Vec::new();
    let mut field: Option<Field> = None;
    let mut value = String::new();
    let mut found = 0usize;
    // One problem per message for elements of another namespace.
    let mut foreign_reported = false;
    loop {
        let event = reader.read_resolved_event();
        let (namespace, event) = match event {
            Ok(pair) => pair,
            Err(_) => {
                let at = current
                    .as_ref()
                    .map_or(place.to_owned(), |m| m.place.clone());
                problems.push(Problem::new(
                    &at,
                    if path.is_empty() { "bestand" } else { &path },
                    "Dit is geen geldige XML: een element is niet goed geopend of gesloten.",
                ));
                break;
            }
        };
        match event {
            Event::Start(start) => {
                let local: &str = start.local_name().into_inner();
                let ns = match &namespace {
                    ResolveResult::Bound(ns) => ns.0,
                    _ => "",
                };
                if current.is_none() {
                    found += 1;
                    // The caller sees that the upload holds more than it may.
                    if counters.messages.fetch_add(1, Relaxed) >= super::files::MAX_MESSAGES {
                        break;
                    }
                    foreign_reported = false;
                    let kind = match (ns, local) {
                        (JW305_NAMESPACE, "Bericht") => Kind::Start,
                        (JW307_NAMESPACE, "Bericht") => Kind::Stop,
                        _ => {
                            problems.push(Problem::new(place, local, format!(
                                "Wij lezen alleen JW305- en JW307-berichten van iJw 3.2: het eerste element moet Bericht zijn, in de naamruimte {JW305_NAMESPACE} of {JW307_NAMESPACE}."
                            )));
                            break;
                        }
                    };
                    let place = if found == 1 {
                        place.to_owned()
                    } else {
                        format!("{place} (bericht {found} in het bestand)")
                    };
                    current = Some(Message {
                        place,
                        kind,
                        sender: String::new(),
                        receiver: String::new(),
                        message_id: String::new(),
                        dated: None,
                        bsn: None,
                        birth_date: None,
                        lines: Vec::new(),
                    });
                    continue;
                }
                let Some(message) = current.as_mut() else {
                    continue;
                };
                let own = match message.kind {
                    Kind::Start => JW305_NAMESPACE,
                    Kind::Stop => JW307_NAMESPACE,
                };
                if starts.len() >= MAX_DEPTH || problems.len() >= MAX_PROBLEMS {
                    problems.push(Problem::new(
                        &message.place,
                        &path,
                        "Het bericht is dieper genest of bevat meer fouten dan een iJw-bericht kan hebben. Wij lezen het bestand niet verder.",
                    ));
                    current = None;
                    break;
                }
                starts.push(path.len());
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(local);
                if ns != own && ns != BASIS_NAMESPACE && !foreign_reported {
                    foreign_reported = true;
                    problems.push(Problem::new(
                        &message.place,
                        &path,
                        format!("Dit element hoort niet in een {}-bericht van iJw 3.2 (naamruimte '{ns}').", message.kind.name()),
                    ));
                }
                let (list, line) = message.kind.products();
                field = field_at(&path, list, line);
                if path.len() == 8 + list.len() + line.len()
                    && path
                        .strip_prefix("Client/")
                        .and_then(|p| p.strip_prefix(list))
                        .and_then(|p| p.strip_prefix('/'))
                        == Some(line)
                {
                    if message.lines.len() >= MAX_LINES
                        || counters.lines.fetch_add(1, Relaxed) >= MAX_LINES_TOTAL
                    {
                        problems.push(Problem::new(
                            &message.place,
                            &path,
                            format!("Een bericht noemt hoogstens {MAX_LINES} producten."),
                        ));
                        current = None;
                        break;
                    }
                    let number = message.lines.len() + 1;
                    message.lines.push(ProductLine {
                        number,
                        ..ProductLine::default()
                    });
                }
                value.clear();
            }
            // A value longer than any iJw value is not kept further (it is refused).
            Event::Text(text) if field.is_some() && value.len() <= MAX_VALUE => {
                value.push_str(&text.xml10_content());
            }
            Event::CData(data) if field.is_some() && value.len() <= MAX_VALUE => {
                value.push_str(&data.xml10_content());
            }
            Event::GeneralRef(reference) if field.is_some() && value.len() <= MAX_VALUE => {
                match reference.resolve_char_ref() {
                    Ok(Some(c)) => value.push(c),
                    _ => match &*reference.xml10_content() {
                        "amp" => value.push('&'),
                        "lt" => value.push('<'),
                        "gt" => value.push('>'),
                        "quot" => value.push('"'),
                        "apos" => value.push('\''),
                        _ => value.push('\u{fffd}'),
                    },
                }
            }
            Event::End(_) => {
                let Some(message) = current.as_mut() else {
                    continue;
                };
                match starts.pop() {
                    None => {
                        // The end of Bericht.
                        if let Some(done) = current.take() {
                            messages.push(done);
                        }
                    }
                    Some(at) => {
                        if let Some(f) = field.take() {
                            store(message, f, value.trim(), &path, &mut problems);
                        }
                        path.truncate(at);
                    }
                }
                value.clear();
            }
            Event::DocType(_) => {
                problems.push(Problem::new(
                    place,
                    "bestand",
                    "Een iJw-bericht heeft geen DOCTYPE. Stuur het bericht zoals uw systeem het maakt.",
                ));
                break;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(unfinished) = current {
        problems.push(Problem::new(
            &unfinished.place,
            "Bericht",
            "Het bericht houdt midden in op: het bestand is niet compleet.",
        ));
    }
    if found == 0 && problems.is_empty() {
        problems.push(Problem::new(
            place,
            "bestand",
            "Het bestand bevat geen iJw-bericht.",
        ));
    }
    (messages, problems)
}

/// The field read at this path, if any.
fn field_at(path: &str, list: &str, line: &str) -> Option<Field> {
    Some(match path {
        "Header/BerichtCode" => Field::BerichtCode,
        "Header/BerichtVersie" => Field::BerichtVersie,
        "Header/BerichtSubversie" => Field::BerichtSubversie,
        "Header/Afzender" => Field::Afzender,
        "Header/Ontvanger" => Field::Ontvanger,
        "Header/BerichtIdentificatie/Identificatie" => Field::Identificatie,
        "Header/BerichtIdentificatie/Dagtekening" => Field::Dagtekening,
        "Client/Bsn" => Field::Bsn,
        "Client/Geboortedatum/Datum" => Field::Geboortedatum,
        _ => {
            let rest = path
                .strip_prefix("Client/")?
                .strip_prefix(list)?
                .strip_prefix('/')?
                .strip_prefix(line)?
                .strip_prefix('/')?;
            match rest {
                "ToewijzingNummer" => Field::ToewijzingNummer,
                "Product/Categorie" => Field::Categorie,
                "Product/Code" => Field::Code,
                "Begindatum" => Field::Begindatum,
                "RedenBeeindiging" => Field::RedenBeeindiging,
                "Einddatum" => Field::Einddatum,
                "StatusAanlevering" => Field::StatusAanlevering,
                _ => return None,
            }
        }
    })
}

fn date(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()
}

/// Keeps one field's value, or files why it cannot be kept. The BSN and birth date are never
/// repeated in a problem.
fn store(
    message: &mut Message,
    field: Field,
    value: &str,
    path: &str,
    problems: &mut Vec<Problem>,
) {
    let said = shown(value);
    let mut refuse = |reason: String| problems.push(Problem::new(&message.place, path, reason));
    match field {
        Field::BerichtCode => {
            if value != message.kind.code().to_string() {
                refuse(format!(
                    "Een {}-bericht heeft BerichtCode {}.",
                    message.kind.name(),
                    message.kind.code()
                ));
            }
        }
        Field::BerichtVersie if value != "3" => {
            refuse("Wij lezen iJw release 3.2: BerichtVersie moet 3 zijn.".into())
        }
        Field::BerichtSubversie if value != "2" => {
            refuse("Wij lezen iJw release 3.2: BerichtSubversie moet 2 zijn.".into())
        }
        Field::BerichtVersie | Field::BerichtSubversie => {}
        Field::Afzender => message.sender = value.to_owned(),
        Field::Ontvanger => message.receiver = value.to_owned(),
        Field::Identificatie => {
            if value.is_empty() || value.chars().count() > 12 {
                refuse("De Identificatie van het bericht moet 1 tot 12 tekens zijn.".into());
            } else {
                message.message_id = value.to_owned();
            }
        }
        Field::Dagtekening => match date(value) {
            Some(d) => message.dated = Some(d),
            None => refuse(format!("'{said}' is geen datum. Schrijf JJJJ-MM-DD.")),
        },
        Field::Bsn => message.bsn = Some(Bsn(value.to_owned())),
        Field::Geboortedatum => match date(value) {
            Some(d) => message.birth_date = Some(BirthDate(d)),
            None => refuse("De geboortedatum is geen datum (JJJJ-MM-DD).".into()),
        },
        _ => {
            let Some(line) = message.lines.last_mut() else {
                return;
            };
            match field {
                Field::ToewijzingNummer => {
                    if value.len() <= 9
                        && !value.is_empty()
                        && value.bytes().all(|b| b.is_ascii_digit())
                    {
                        // As a number: 0300201 and 300201 are the same allocation.
                        let trimmed = value.trim_start_matches('0');
                        line.toewijzing =
                            Some(if trimmed.is_empty() { "0" } else { trimmed }.to_owned());
                    } else {
                        refuse(format!(
                            "'{said}' is geen ToewijzingNummer: een getal van hoogstens 9 cijfers."
                        ));
                    }
                }
                Field::Categorie => line.category = Some(value.to_owned()),
                Field::Code => {
                    if value.is_empty() || value.chars().count() > 5 {
                        refuse("Een productcode is 1 tot 5 tekens.".into());
                    } else {
                        line.code = Some(value.to_owned());
                    }
                }
                Field::Begindatum => match date(value) {
                    Some(d) => line.begin = Some(d),
                    None => refuse(format!("'{said}' is geen datum. Schrijf JJJJ-MM-DD.")),
                },
                Field::Einddatum => match date(value) {
                    Some(d) => line.end = Some(d),
                    None => refuse(format!("'{said}' is geen datum. Schrijf JJJJ-MM-DD.")),
                },
                Field::RedenBeeindiging => line.reason = Some(value.to_owned()),
                Field::StatusAanlevering => match value {
                    "1" => line.status = Some(1),
                    "2" => line.status = Some(2),
                    "3" => line.status = Some(3),
                    _ => refuse(format!(
                        "'{said}' is geen StatusAanlevering: 1 (nieuw), 2 (gewijzigd) of 3 (verwijderd)."
                    )),
                },
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(inner: &str) -> String {
        format!(
            r#"<m:Bericht xmlns:m="{JW305_NAMESPACE}" xmlns:ijw="{BASIS_NAMESPACE}"><m:Header><m:BerichtCode>438</m:BerichtCode></m:Header>{inner}</m:Bericht>"#
        )
    }

    #[test]
    fn a_message_is_read_with_any_prefix_and_several_follow_one_another() {
        let one = start(
            "<m:Client><m:StartProducten><m:StartProduct><m:ToewijzingNummer>0300201</m:ToewijzingNummer><m:Begindatum>2025-03-03</m:Begindatum></m:StartProduct></m:StartProducten></m:Client>",
        );
        let (messages, problems) = read(
            "twee.xml",
            format!("{one}\n{one}").as_bytes(),
            &Counters::default(),
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[1].place, "twee.xml (bericht 2 in het bestand)");
        assert_eq!(messages[0].lines[0].toewijzing.as_deref(), Some("300201"));
    }

    #[test]
    fn deep_nesting_foreign_elements_and_too_many_messages_stop_early() {
        let deep = start(&"<m:a>".repeat(40));
        let (_, problems) = read("diep.xml", deep.as_bytes(), &Counters::default());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].reason.contains("dieper genest"));
        let foreign = start(&r#"<x:a xmlns:x="urn:x"/>"#.repeat(50));
        let (messages, problems) = read("vreemd.xml", foreign.as_bytes(), &Counters::default());
        assert_eq!((messages.len(), problems.len()), (1, 1), "{problems:?}");
        let many = start("").repeat(5);
        let almost = Counters {
            messages: (super::super::files::MAX_MESSAGES - 3).into(),
            ..Counters::default()
        };
        let (messages, _) = read("veel.xml", many.as_bytes(), &almost);
        assert_eq!(messages.len(), 3, "no more than the room left");
        assert!(almost.over());
    }

    #[test]
    fn a_bsn_and_birth_date_never_print() {
        let text = start(
            "<m:Client><m:Bsn>999900018</m:Bsn><m:Geboortedatum><ijw:Datum>2011-05-17</ijw:Datum></m:Geboortedatum></m:Client>",
        );
        let (messages, _) = read("a.xml", text.as_bytes(), &Counters::default());
        let printed = format!("{messages:?}");
        assert!(messages[0].bsn.is_some() && messages[0].birth_date.is_some());
        assert!(
            !printed.contains("999900018") && !printed.contains("2011-05-17"),
            "{printed}"
        );
    }
}
