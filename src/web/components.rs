//! Small view pieces used by several pages.

use maud::{Markup, html};

use super::error::FieldError;

/// The error summary at the top of a form (NL Design System pattern): focusable, announced,
/// each message linking to its field.
pub fn error_summary(errors: &[FieldError]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="foutmelding-titel" tabindex="-1" {
                h2 #foutmelding-titel { (super::language::texts().msg("error-summary")) }
                ul {
                    @for e in errors {
                        @if e.field.is_empty() {
                            li { (e.message) }
                        } @else {
                            li { a href={ "#" (field_id(&e.field)) } { (e.message) } }
                        }
                    }
                }
            }
        }
    }
}

/// The id of a form field, derived from its parameter name.
pub fn field_id(field: &str) -> String {
    format!("veld-{}", super::text::slugify(field))
}

pub fn field_error<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a FieldError> {
    errors.iter().find(|e| e.field == field)
}

/// The id of a group's error message, when it has one: for the fieldset's
/// `aria-describedby`, so that a screen reader reads the error with the question.
pub fn group_error_id(errors: &[FieldError], field: &str) -> Option<String> {
    field_error(errors, field).map(|_| format!("{}-fout", field_id(field)))
}

/// The error of a group of checkboxes or radio buttons, under its legend, or of a field
/// rendered by hand (see [`group_error_id`]).
pub fn group_error(errors: &[FieldError], field: &str) -> Markup {
    html! {
        @if let (Some(e), Some(id)) = (field_error(errors, field), group_error_id(errors, field)) {
            p.field-error id=(id) { span.visually-hidden { (super::language::texts().msg("error-prefix")) " " } (e.message) }
        }
    }
}

/// One labelled input with its hint and error message (NL Design System form field).
pub struct Field<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub value: &'a str,
    pub kind: &'a str,
    pub autocomplete: Option<&'a str>,
    pub hint: Option<&'a str>,
    pub required: bool,
}

impl<'a> Field<'a> {
    pub fn text(name: &'a str, label: &'a str, value: &'a str) -> Self {
        Field {
            name,
            label,
            value,
            kind: "text",
            autocomplete: None,
            hint: None,
            required: true,
        }
    }

    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }

    pub fn autocomplete(mut self, autocomplete: &'a str) -> Self {
        self.autocomplete = Some(autocomplete);
        self
    }

    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn optional(mut self) -> Self {
        self.required = false;
        self
    }

    pub fn render(&self, errors: &[FieldError]) -> Markup {
        let id = field_id(self.name);
        let error = field_error(errors, self.name);
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-fout");
        let value = if self.kind == "password" {
            ""
        } else {
            self.value
        };
        html! {
            div.form-field.form-field--invalid[error.is_some()] {
                label for=(id) {
                    (self.label)
                    @if !self.required { span.optional { " (niet verplicht)" } }
                }
                @if let Some(hint) = self.hint { p.hint id=(hint_id) { (hint) } }
                @if let Some(e) = error { p.field-error id=(error_id) { span.visually-hidden { (super::language::texts().msg("error-prefix")) " " } (e.message) } }
                input id=(id) name=(self.name) type=(self.kind) value=(value)
                    autocomplete=[self.autocomplete]
                    required[self.required]
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[described(self.hint.is_some(), error.is_some(), &id)];
            }
        }
    }
}

/// `aria-describedby` of a field with an optional hint and error (`{id}-hint`, `{id}-fout`):
/// one rule for the text field, the text area and the select.
fn described(hint: bool, error: bool, id: &str) -> Option<String> {
    match (hint, error) {
        (false, false) => None,
        (true, false) => Some(format!("{id}-hint")),
        (false, true) => Some(format!("{id}-fout")),
        (true, true) => Some(format!("{id}-hint {id}-fout")),
    }
}

/// A labelled multi-line text field.
pub fn textarea(
    name: &str,
    label: &str,
    value: &str,
    hint: Option<&str>,
    errors: &[FieldError],
) -> Markup {
    let id = field_id(name);
    let error = field_error(errors, name);
    html! {
        div.form-field.form-field--invalid[error.is_some()] {
            label for=(id) { (label) }
            @if let Some(hint) = hint { p.hint id={ (id) "-hint" } { (hint) } }
            @if let Some(e) = error { p.field-error id={ (id) "-fout" } { span.visually-hidden { (super::language::texts().msg("error-prefix")) " " } (e.message) } }
            textarea id=(id) name=(name) rows="5"
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[described(hint.is_some(), error.is_some(), &id)] { (value) }
        }
    }
}

/// A labelled select with an empty first choice, its hint and its error.
pub fn select(
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    hint: Option<&str>,
    errors: &[FieldError],
) -> Markup {
    select_with(
        name,
        label,
        "Maak een keuze",
        options,
        selected,
        hint,
        errors,
    )
}

/// A select that filters a list: its empty first choice is "Alle" (no filter).
pub fn filter_select(
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
) -> Markup {
    select_with(name, label, "Alle", options, selected, None, &[])
}

fn select_with(
    name: &str,
    label: &str,
    empty: &str,
    options: &[(String, String)],
    selected: &str,
    hint: Option<&str>,
    errors: &[FieldError],
) -> Markup {
    let id = field_id(name);
    let error = field_error(errors, name);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-fout");
    html! {
        div.form-field.form-field--invalid[error.is_some()] {
            label for=(id) { (label) }
            @if let Some(hint) = hint { p.hint id=(hint_id) { (hint) } }
            @if let Some(e) = error { p.field-error id=(error_id) { span.visually-hidden { (super::language::texts().msg("error-prefix")) " " } (e.message) } }
            select id=(id) name=(name) aria-invalid=[error.map(|_| "true")]
                aria-describedby=[described(hint.is_some(), error.is_some(), &id)] {
                option value="" selected[selected.is_empty()] { (empty) }
                @for (value, text) in options {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
        }
    }
}

/// A short message at the top of a page after something succeeded.
pub fn notice(message: Option<&str>) -> Markup {
    html! {
        @if let Some(message) = message {
            // Focused on load (assets/page.js): the confirmation of what was just done.
            div.notice role="status" tabindex="-1" data-focus { p { (message) } }
        }
    }
}

/// How many pages of `per_page` items `total` items fill.
pub fn page_count(total: i64, per_page: i64) -> u32 {
    u32::try_from((total + per_page - 1) / per_page.max(1)).unwrap_or(u32::MAX)
}

/// Page links: previous, a window of numbers around the current page, next.
pub fn pagination(page: u32, pages: u32, href: impl Fn(u32) -> String) -> Markup {
    let t = super::language::texts();
    let window: Vec<u32> = {
        let first = page.saturating_sub(2).max(1);
        let last = (page + 2).min(pages);
        let mut numbers = vec![1];
        numbers.extend((first..=last).filter(|n| *n != 1 && *n != pages));
        if pages > 1 {
            numbers.push(pages);
        }
        numbers
    };
    html! {
        @if pages > 1 {
            nav.pagination aria-label=(t.msg("pagination")) {
                ul {
                    @if page > 1 {
                        li { a href=(href(page - 1)) rel="prev" { (t.msg("pagination-previous")) span.visually-hidden { " " (t.msg("pagination-page-word")) } } }
                    }
                    @for (i, n) in window.iter().enumerate() {
                        @if i > 0 && *n > window[i - 1] + 1 {
                            li.pagination__gap aria-hidden="true" { "…" }
                        }
                        li {
                            @if *n == page {
                                a href=(href(*n)) aria-current="page" {
                                    span.visually-hidden { (t.msg("pagination-page")) " " } (n)
                                }
                            } @else {
                                a href=(href(*n)) { span.visually-hidden { (t.msg("pagination-page")) " " } (n) }
                            }
                        }
                    }
                    @if page < pages {
                        li { a href=(href(page + 1)) rel="next" { (t.msg("pagination-next")) span.visually-hidden { " " (t.msg("pagination-page-word")) } } }
                    }
                }
            }
        }
    }
}

/// A wide table scrolls inside its own labelled region on a narrow screen, never the page
/// (WCAG 1.4.10); the region takes keyboard focus, so it scrolls without a mouse too.
pub fn scroll_region(label: &str, table: Markup) -> Markup {
    html! { div.table-scroll role="region" aria-label=(label) tabindex="0" { (table) } }
}

/// The same, named by a heading on the page (its id), for tables whose heading says it all.
pub fn scroll_region_labelled_by(heading_id: &str, table: Markup) -> Markup {
    html! { div.table-scroll role="region" aria-labelledby=(heading_id) tabindex="0" { (table) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(page: u32, pages: u32) -> String {
        pagination(page, pages, |n| format!("?pagina={n}")).into_string()
    }

    #[test]
    fn page_counts_round_up() {
        assert_eq!(page_count(0, 25), 0);
        assert_eq!(page_count(1, 25), 1);
        assert_eq!(page_count(25, 25), 1);
        assert_eq!(page_count(26, 25), 2);
    }

    #[test]
    fn a_single_page_needs_no_pagination() {
        assert_eq!(links(1, 1), "");
        assert_eq!(links(1, 0), "");
    }

    #[test]
    fn pagination_marks_the_current_page_and_skips_far_pages() {
        let html = links(10, 20);
        assert!(html.contains(r#"href="?pagina=9" rel="prev""#));
        assert!(html.contains(r#"href="?pagina=11" rel="next""#));
        assert!(html.contains(r#"href="?pagina=10" aria-current="page""#));
        assert!(html.contains(r#"href="?pagina=1""#) && html.contains(r#"href="?pagina=20""#));
        assert!(!html.contains(r#"href="?pagina=5""#));
        assert_eq!(html.matches('…').count(), 2);
    }

    #[test]
    fn first_page_has_no_previous_link() {
        let html = links(1, 3);
        assert!(!html.contains("Vorige"));
        assert!(html.contains("Volgende"));
    }
}
