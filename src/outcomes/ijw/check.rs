//! Every message against the provider that sends it and the region that receives it. A
//! product line that passes becomes a [`Line`]: ids resolved, the client a pseudonym and an
//! age band. Every refusal names the message, the element and why.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::message::{Kind, Message, Problem};
use super::pseudonym::{self, PseudonymKey, RegionKey};
use crate::domain::values::AgeBand;
use crate::outcomes::records::{EARLIEST_DATE, IJW_REFERENCE_PREFIX};
use crate::reference::ReferenceData;

/// What the checks need to know of the provider and the region.
pub struct Context<'a> {
    pub reference: &'a ReferenceData,
    /// The provider's AGB code, as in the catalogue.
    pub agb_code: &'a str,
    /// The regions that admit (or admitted) the provider.
    pub regions: &'a [i64],
    /// Per region, its product codes: (profile id, intensity id).
    pub products: &'a HashMap<(i64, String), (i64, i64)>,
    pub keys: &'a PseudonymKey,
    pub today: NaiveDate,
}

/// A product line that passed.
#[derive(Debug, Clone)]
pub struct Line {
    /// Its place in the upload, from 0: refusals are listed in this order.
    pub seq: usize,
    pub kind: Kind,
    pub message_id: String,
    pub dated: NaiveDate,
    /// Where the message was found, for refusals while combining.
    pub place: String,
    pub number: usize,
    pub region_id: i64,
    pub municipality_id: i64,
    pub toewijzing: Option<String>,
    /// The delivery period's key (iJw knows a period by ToewijzingNummer and Begindatum), for
    /// "received before"; and the reference of a trajectory it makes.
    pub key: String,
    pub reference: String,
    /// (profile id, intensity id), where the line names a product.
    pub product: Option<(i64, i64)>,
    pub category: Option<String>,
    pub begin: NaiveDate,
    /// The stop's date and stored reason (`super::JZ588`).
    pub end: Option<(NaiveDate, u8)>,
    pub status: u8,
    pub client_key: String,
    pub age_band: AgeBand,
}

/// Checks every message; the lines of all of them, or every problem.
pub fn lines(messages: &[Message], context: &Context<'_>) -> Result<Vec<Line>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut lines = Vec::with_capacity(messages.len() * 2);
    let mut region_keys: HashMap<i64, RegionKey> = HashMap::new();
    for message in messages {
        // Enough to mend the upload by; the rest would only fill the memory.
        if problems.len() >= super::files::MAX_PROBLEMS {
            problems.push(Problem::new(
                "upload",
                "bestand",
                "Er zijn nog meer fouten: verbeter eerst deze en stuur de berichten opnieuw.",
            ));
            break;
        }
        check_message(
            message,
            context,
            &mut region_keys,
            &mut lines,
            &mut problems,
        );
    }
    if problems.is_empty() {
        Ok(lines)
    } else {
        Err(problems)
    }
}

fn check_message(
    message: &Message,
    context: &Context<'_>,
    region_keys: &mut HashMap<i64, RegionKey>,
    lines: &mut Vec<Line>,
    problems: &mut Vec<Problem>,
) {
    let place = if message.message_id.is_empty() {
        message.place.clone()
    } else {
        format!("{} (bericht {})", message.place, message.message_id)
    };
    let mut refuse = |element: &str, reason: String| {
        problems.push(Problem::new(&place, element, reason));
    };
    if message.sender.is_empty() {
        refuse(
            "Header/Afzender",
            "De Afzender (uw AGB-code) ontbreekt.".into(),
        );
    } else if message.sender != context.agb_code {
        refuse(
            "Header/Afzender",
            format!(
                "Afzender {} is niet uw AGB-code ({}). Stuur alleen berichten van uw eigen organisatie.",
                super::message::shown(&message.sender),
                if context.agb_code.is_empty() {
                    "onbekend"
                } else {
                    context.agb_code
                }
            ),
        );
    }
    // A merged municipality keeps its code: a message from before the merger still names it.
    let municipality = context
        .reference
        .municipalities
        .iter()
        .find(|m| m.cbs_code == message.receiver);
    match municipality {
        _ if message.receiver.is_empty() => refuse(
            "Header/Ontvanger",
            "De Ontvanger (de CBS-gemeentecode) ontbreekt.".into(),
        ),
        None => refuse(
            "Header/Ontvanger",
            format!(
                "Gemeentecode {} kennen wij niet: geen gemeente in de catalogus.",
                super::message::shown(&message.receiver)
            ),
        ),
        Some(m) if !context.regions.contains(&m.region_id) => refuse(
            "Header/Ontvanger",
            format!(
                "{} hoort bij een regio die u niet heeft toegelaten. Stuur alleen berichten aan gemeenten van uw regio's.",
                m.name
            ),
        ),
        Some(_) => {}
    }
    if message.message_id.is_empty() {
        refuse(
            "Header/BerichtIdentificatie/Identificatie",
            "De Identificatie van het bericht ontbreekt.".into(),
        );
    }
    if message.dated.is_none() {
        refuse(
            "Header/BerichtIdentificatie/Dagtekening",
            "De Dagtekening ontbreekt.".into(),
        );
    }
    // Never repeated: not the BSN, not the birth date.
    let bsn_ok = message.bsn.as_ref().is_some_and(pseudonym::valid_bsn);
    if !bsn_ok {
        refuse(
            "Client/Bsn",
            "Het BSN ontbreekt of klopt niet: negen cijfers die de elfproef halen.".into(),
        );
    }
    if message.birth_date.is_none() {
        refuse(
            "Client/Geboortedatum/Datum",
            "De geboortedatum ontbreekt.".into(),
        );
    }
    let (list, line_name) = match message.kind {
        Kind::Start => ("Client/StartProducten/StartProduct", "StartProduct"),
        Kind::Stop => ("Client/StopProducten/StopProduct", "StopProduct"),
    };
    if message.lines.is_empty() {
        refuse(list, format!("Het bericht noemt geen {line_name}."));
    }
    let client = match (&message.bsn, municipality) {
        (Some(bsn), Some(m)) if bsn_ok => {
            let key = region_keys.entry(m.region_id).or_insert_with(|| {
                let slug = context
                    .reference
                    .region(m.region_id)
                    .map_or("", |r| r.slug.as_str());
                context.keys.region(slug)
            });
            Some(key.client_key(bsn))
        }
        _ => None,
    };
    for line in &message.lines {
        let element = |name: &str| format!("{list}[{}]/{name}", line.number);
        let begin = match line.begin {
            None => {
                refuse(&element("Begindatum"), "De Begindatum ontbreekt.".into());
                None
            }
            Some(d) if d > context.today => {
                refuse(
                    &element("Begindatum"),
                    "De Begindatum ligt in de toekomst. Stuur het bericht als de hulp begonnen is."
                        .into(),
                );
                None
            }
            Some(d) if d < EARLIEST_DATE => {
                refuse(
                    &element("Begindatum"),
                    "De Begindatum ligt vóór 1 januari 2015, toen de Jeugdwet begon.".into(),
                );
                None
            }
            Some(d) => Some(d),
        };
        if line.status.is_none() {
            refuse(
                &element("StatusAanlevering"),
                "De StatusAanlevering ontbreekt.".into(),
            );
        }
        let end = if message.kind == Kind::Stop {
            let reason = match line.reason.as_deref() {
                None => {
                    refuse(
                        &element("RedenBeeindiging"),
                        "De RedenBeeindiging ontbreekt.".into(),
                    );
                    None
                }
                Some(code) => match super::end_reason(code) {
                    Some(r) => Some(r.stored),
                    None => {
                        refuse(
                            &element("RedenBeeindiging"),
                            format!(
                                "'{}' staat niet in codelijst JZ588 (reden beëindiging).",
                                super::message::shown(code)
                            ),
                        );
                        None
                    }
                },
            };
            match (line.end, begin) {
                (None, _) => {
                    refuse(&element("Einddatum"), "De Einddatum ontbreekt.".into());
                    None
                }
                (Some(e), _) if e > context.today => {
                    refuse(&element("Einddatum"), "De Einddatum ligt in de toekomst. Stuur het bericht als de hulp gestopt is.".into());
                    None
                }
                (Some(e), Some(b)) if e < b => {
                    refuse(
                        &element("Einddatum"),
                        "De Einddatum ligt vóór de Begindatum.".into(),
                    );
                    None
                }
                (Some(e), _) => reason.map(|r| (e, r)),
            }
        } else {
            None
        };
        if let Some(category) = line
            .category
            .as_deref()
            .filter(|c| super::category_of(c).is_none())
        {
            refuse(
                &element("Product/Categorie"),
                format!(
                    "'{}' staat niet in codelijst JZ020 (productcategorie).",
                    super::message::shown(category)
                ),
            );
        }
        let product = match (line.code.as_deref(), municipality) {
            (Some(code), Some(m)) => match context.products.get(&(m.region_id, code.to_owned())) {
                Some(found) => Some(*found),
                None => {
                    let region = context
                        .reference
                        .region(m.region_id)
                        .map_or("", |r| r.name.as_str());
                    refuse(
                        &element("Product/Code"),
                        format!(
                            "Productcode {code} kent regio {region} niet. De productcodes van de regio staan op de uploadpagina."
                        ),
                    );
                    None
                }
            },
            _ => None,
        };
        if line.toewijzing.is_none() && line.code.is_none() {
            refuse(&element("ToewijzingNummer"), "Zonder ToewijzingNummer hebben wij het Product nodig om start en stop aan elkaar te koppelen.".into());
        }
        let age_band = match (&message.birth_date, begin) {
            (Some(birth), Some(b)) => {
                let band = pseudonym::age_band(birth, b);
                if band.is_none() {
                    refuse("Client/Geboortedatum/Datum", "Met deze geboortedatum was de cliënt bij de start geen 0 tot en met 23 jaar: geen jeugdhulp.".into());
                }
                band
            }
            _ => None,
        };
        let (Some(begin), Some(status), Some(client_key), Some(m), Some(age_band), Some(dated)) = (
            begin,
            line.status,
            client.as_ref(),
            municipality,
            age_band,
            message.dated,
        ) else {
            continue;
        };
        let (key, reference) = match &line.toewijzing {
            Some(number) => (
                format!("{}-{number}-{begin}", m.cbs_code),
                format!("{IJW_REFERENCE_PREFIX}{}-{number}-{begin}", m.cbs_code),
            ),
            None => {
                let code = line.code.as_deref().unwrap_or("");
                let digest =
                    crate::accounts::secrets::token_hash(&format!("{client_key}|{code}|{begin}"));
                (
                    format!("{}-{code}-{begin}-{}", m.cbs_code, &digest[..12]),
                    format!("{IJW_REFERENCE_PREFIX}{}-{}", m.cbs_code, &digest[..24]),
                )
            }
        };
        lines.push(Line {
            seq: lines.len(),
            kind: message.kind,
            // BerichtIdentificatie is Identificatie and Dagtekening together.
            message_id: format!("{}@{dated}", message.message_id),
            dated,
            place: place.clone(),
            number: line.number,
            region_id: m.region_id,
            municipality_id: m.id,
            toewijzing: line.toewijzing.clone(),
            key,
            reference,
            product,
            category: line.category.clone(),
            begin,
            end,
            status,
            client_key: client_key.clone(),
            age_band,
        });
    }
}
