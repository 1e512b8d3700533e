//! Signing in the way Dutch municipalities do: staff with their organisation's account over
//! OpenID Connect, providers with eHerkenning through a broker that speaks OpenID Connect.
//!
//! The provider proves who someone is; the portal decides who may enter. A person is found
//! by issuer and subject ([`identities`]); a first sign-in is linked to an existing account
//! only by an e-mail address the provider says it verified; anyone else gets no session and
//! an access request for the beheerders. A sign-in ends like a password login: the same
//! session cookie, marked with the way in, so signing out can also sign out at the provider.

pub mod attempts;
pub mod eherkenning;
pub mod identities;
mod pages;
pub mod provider;
pub mod routes;
pub mod staff;

use serde_json::Value;

pub use attempts::{AttemptKey, Kind};
pub use provider::{Person, Provider, Settings};

/// The staff sign-in: the organisation's provider and who of its people may enter.
pub struct Organisation {
    pub provider: Provider,
    /// The claim that lists a person's roles (`OIDC_ROLES_CLAIM`, default `roles`).
    pub roles_claim: String,
    /// A role that must be in that claim at every sign-in (`OIDC_REQUIRED_ROLE`).
    pub required_role: Option<String>,
}

impl Organisation {
    /// Whether the person has the required role, if one is set.
    pub fn admits(&self, person: &Person) -> bool {
        let Some(required) = self.required_role.as_deref() else {
            return true;
        };
        // The claim by its name, else as a path into nested claims (Keycloak's
        // `realm_access.roles`).
        let claim = person.claims.get(&self.roles_claim).or_else(|| {
            let mut parts = self.roles_claim.split('.');
            let first = person.claims.get(parts.next()?)?;
            parts.try_fold(first, |value, key| value.get(key))
        });
        match claim {
            Some(Value::Array(roles)) => roles.iter().any(|r| r.as_str() == Some(required)),
            // Some providers send one role, or several separated by spaces.
            Some(Value::String(roles)) => roles.split_whitespace().any(|r| r == required),
            _ => false,
        }
    }
}

/// The provider sign-in: the eHerkenning broker and the lowest level it must vouch for.
pub struct Eherkenning {
    pub provider: Provider,
    /// Index into [`eherkenning::LEVELS`].
    pub min_level: usize,
}

/// The ways in besides the password, as configured.
pub struct SignIn {
    pub organisation: Option<Organisation>,
    pub eherkenning: Option<Eherkenning>,
    /// Whether staff may still sign in with a password (`PASSWORD_LOGIN_STAFF`); only
    /// switched off where an organisation provider is configured.
    pub password_for_staff: bool,
    pub key: AttemptKey,
}

impl SignIn {
    /// The provider a session of this kind began at (`Claims::via`).
    pub fn provider_of(&self, via: &str) -> Option<&Provider> {
        if via == Kind::Organisation.code() {
            self.organisation.as_ref().map(|o| &o.provider)
        } else if via == Kind::Eherkenning.code() {
            self.eherkenning.as_ref().map(|e| &e.provider)
        } else {
            None
        }
    }

    /// From the settings; `public_url` is where the providers send the browser back to.
    pub fn from_config(
        config: &crate::config::Config,
        public_url: &str,
        secret: &str,
    ) -> anyhow::Result<SignIn> {
        let provider = |issuer: &Option<String>,
                        client_id: &Option<String>,
                        client_secret: &Option<String>,
                        name: &str,
                        back: &str|
         -> anyhow::Result<Option<Provider>> {
            let Some(issuer) = issuer.as_deref().filter(|i| !i.is_empty()) else {
                return Ok(None);
            };
            let client_id = client_id
                .clone()
                .filter(|c| !c.is_empty())
                .ok_or_else(|| anyhow::anyhow!("{name}_ISSUER_URL is set, {name}_CLIENT_ID not"))?;
            Ok(Some(Provider::new(
                Settings {
                    issuer_url: issuer.to_owned(),
                    client_id,
                    client_secret: client_secret.clone().filter(|s| !s.is_empty()),
                },
                format!("{public_url}{back}"),
            )?))
        };
        let organisation = provider(
            &config.oidc_issuer_url,
            &config.oidc_client_id,
            &config.oidc_client_secret,
            "OIDC",
            routes::ORGANISATION_BACK,
        )?
        .map(|provider| Organisation {
            provider,
            roles_claim: config.oidc_roles_claim.clone(),
            required_role: config.oidc_required_role.clone().filter(|r| !r.is_empty()),
        });
        let eherkenning = match provider(
            &config.eherkenning_issuer_url,
            &config.eherkenning_client_id,
            &config.eherkenning_client_secret,
            "EHERKENNING",
            routes::EHERKENNING_BACK,
        )? {
            Some(provider) => Some(Eherkenning {
                provider,
                min_level: eherkenning::level(&config.eherkenning_min_loa).ok_or_else(|| {
                    anyhow::anyhow!(
                        "EHERKENNING_MIN_LOA must be one of urn:etoegang:core:assurance-class:loa2, loa2plus, loa3 or loa4"
                    )
                })?,
            }),
            None => None,
        };
        Ok(SignIn {
            password_for_staff: config.password_login_staff || organisation.is_none(),
            organisation,
            eherkenning,
            key: AttemptKey::new(secret),
        })
    }
}
