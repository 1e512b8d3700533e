"""Signs in as the demo provider and makes an API token through the web form, as a provider
would; prints the token. Used by .ci/run so schemathesis also fuzzes the authenticated
operations. Usage: provider_token.py BASE_URL EMAIL PASSWORD"""
import html
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request

base, email, password = sys.argv[1:4]
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def csrf(page):
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    if not found:
        sys.exit("no CSRF field on the page")
    return found.group(1)


def get(path):
    return opener.open(base + path).read().decode()


def post(path, fields):
    data = urllib.parse.urlencode(fields).encode()
    return opener.open(urllib.request.Request(base + path, data=data)).read().decode()


page = get("/inloggen")
post("/inloggen", {"csrf": csrf(page), "email": email, "wachtwoord": password})
page = get("/mijn-aanbod/api-tokens")
page = post("/mijn-aanbod/api-tokens", {"csrf": csrf(page), "naam": "schemathesis", "dagen": "1"})
token = re.search(r'class="token-once">([^<]+)<', page)
if not token:
    sys.exit("no token on the page")
print(html.unescape(token.group(1)).strip())
