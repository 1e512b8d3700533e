//! What the JSON API's answers share: the `{"items": […]}` list and, for the OpenAPI
//! description, the provider token's security scheme.

use serde::Serialize;

/// A whole list: `{"items": […]}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

/// The provider's API token (`Authorization: Bearer …`), made at `/mijn-aanbod/api`.
pub struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "provider_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The provider's API token, made at /mijn-aanbod/api."))
                    .build(),
            ),
        );
    }
}
