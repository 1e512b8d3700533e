//! A browser for the tests: its own cookies (session and CSRF token), forms posted with the
//! token as a browser posts them, no automatic redirects.

use std::sync::Arc;

use reqwest::cookie::CookieStore;

/// Status, Location header (for redirects) and body of an answer.
pub async fn answer(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, location, response.text().await.expect("body"))
}

/// A browser: its own cookies (session and CSRF token), no automatic redirects.
pub struct Browser {
    pub address: String,
    pub client: reqwest::Client,
    jar: Arc<reqwest::cookie::Jar>,
}

impl Browser {
    /// A new browser for the site at this address (a binary a test started, for one).
    pub fn at(address: &str) -> Browser {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(jar.clone())
            .build()
            .expect("http client");
        Browser {
            address: address.to_owned(),
            client,
            jar,
        }
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// The value of one of this browser's cookies.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let url: reqwest::Url = self.address.parse().expect("url");
        let header = self.jar.cookies(&url)?;
        header.to_str().ok()?.split("; ").find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
    }

    /// Puts a cookie (`name=value; Path=…`) in this browser, as if the site had set it.
    pub fn set_cookie(&self, cookie: &str) {
        let url: reqwest::Url = self.address.parse().expect("url");
        self.jar.add_cookie_str(cookie, &url);
    }

    /// Posts a form as the browser would: with the CSRF token of its cookie. Returns the
    /// status, the Location header (for redirects) and the body.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
        if self.cookie("jhc_csrf").is_none() {
            self.get("/inloggen").await;
        }
        let token = self.cookie("jhc_csrf").expect("CSRF cookie");
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields: for tests that leave out or forge the CSRF token.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
        let response = self
            .client
            .post(format!("{}{path}", self.address))
            .form(fields)
            .send()
            .await
            .expect("request sent");
        answer(response).await
    }

    /// Uploads a file as a multipart form, with the CSRF token.
    pub async fn upload(
        &self,
        path: &str,
        field: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> (u16, String, String) {
        self.upload_form(path, &[], field, name, bytes).await
    }

    /// Uploads a file with other fields as a multipart form, with the CSRF token.
    pub async fn upload_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        field: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> (u16, String, String) {
        if self.cookie("jhc_csrf").is_none() {
            self.get("/inloggen").await;
        }
        let token = self.cookie("jhc_csrf").expect("CSRF cookie");
        let mut form = reqwest::multipart::Form::new().text("csrf", token);
        for (key, value) in fields {
            form = form.text((*key).to_owned(), (*value).to_owned());
        }
        let form = form.part(
            field.to_owned(),
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
        let response = self
            .client
            .post(format!("{}{path}", self.address))
            .multipart(form)
            .send()
            .await
            .expect("request sent");
        answer(response).await
    }

    /// Logs in and checks that it worked.
    pub async fn login(&self, email: &str, password: &str) {
        let (status, location, body) = self
            .post("/inloggen", &[("email", email), ("wachtwoord", password)])
            .await;
        assert_eq!(status, 303, "login of {email} failed: {body}");
        assert!(!location.starts_with("/inloggen"), "{location}");
    }
}
