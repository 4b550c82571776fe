"""A visitor's, an applicant's and a moderator's journey through the production image.

Run by .ci/image.sh on the host once the containers serve, through Debian's nginx with
docker/nginx.conf in front (HTTPS, self-signed). Every step prints what it checked; the first
failure stops the script with a non-zero status.

Environment: SITE (https://127.0.0.1:PORT), HOST (the site's domain), CALL_PATH, S3_ENDPOINT,
BUCKET, MAIL_DIR, CLAMD_LOG, MODERATOR_PASSWORD.
"""

import email
import email.policy
import io
import os
import re
import sys
import time
import urllib.parse
from pathlib import Path

import boto3
import requests
import urllib3
from bs4 import BeautifulSoup
from PIL import Image
from pypdf import PdfWriter

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

SITE, HOST = os.environ["SITE"], os.environ["HOST"]
APPLICANT = "awa.diallo@example.org"


def step(message):
    print(f"journey: {message}", flush=True)


def fail(message):
    print(f"journey: FAILED: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


class Browser(requests.Session):
    """HTTPS to nginx on loopback, with the site's name (SNI aside) and its Referer for CSRF."""

    def request(self, method, path, **kwargs):
        headers = {"Host": HOST, "Referer": f"https://{HOST}/", **kwargs.pop("headers", {})}
        kwargs.setdefault("timeout", 60)
        return super().request(method, SITE + path, headers=headers, verify=False, **kwargs)


def get_ok(browser, path):
    response = browser.get(path, allow_redirects=False)
    check(response.status_code == 200, f"GET {path}: {response.status_code}")
    return response


def pdf():
    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return buffer.getvalue()


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 90, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def visitor(browser):
    home = get_ok(browser, "/")
    check("Quartiers Cafés" in home.text, "the home page has no title")
    step("home page served (200)")
    index = get_ok(browser, "/laureats/")
    stories = sorted(
        {link["href"] for link in BeautifulSoup(index.text, "html.parser").select("a[href^='/laureats/']")}
        - {"/laureats/"}
    )
    story = next((href for href in stories if "?" not in href and href.count("/") == 3), None)
    check(story, "no story linked from /laureats/")
    page = get_ok(browser, story)
    title = BeautifulSoup(page.text, "html.parser").h1.get_text(strip=True)
    step(f"story {story} served: « {title} »")
    results = get_ok(browser, "/recherche/?" + urllib.parse.urlencode({"q": title.split()[0]}))
    check(story in results.text, f"searching « {title.split()[0]} » does not find {story}")
    step("the search finds the story")


def applicant(browser):
    path = os.environ["CALL_PATH"]
    page = get_ok(browser, path)
    form = next(
        form
        for form in BeautifulSoup(page.text, "html.parser").find_all("form")
        if form.find(attrs={"name": "qc_jeton"})
    )
    data = {
        field["name"]: field.get("value", "") for field in form.find_all("input", type="hidden") if field.get("name")
    }
    data.update(
        nom_du_commerce="Le Petit Zinc (exemple)",
        nom_et_prenom="Awa Diallo",
        courriel=APPLICANT,
        projet="Un café de quartier avec une épicerie solidaire (exemple).",
        jaccepte_le_traitement_de_mes_donnees="on",
    )
    files = {
        "photo_du_local": ("devanture.jpg", jpeg(), "image/jpeg"),
        "business_plan": ("business-plan.pdf", pdf(), "application/pdf"),
    }
    response = browser.post(path, data=data, files=files, allow_redirects=False)
    check(
        response.status_code == 303, f"the application was not accepted: {response.status_code} {response.text[-800:]}"
    )
    thanks = get_ok(browser, urllib.parse.urlsplit(response.headers["Location"]).path)
    reference = re.search(r"\b[A-Z]{2,}-\d{4}-\d{3,}\b", thanks.text)
    check(reference, "the thank-you page shows no reference")
    step(f"application sent with a PDF and a photo: reference {reference.group(0)}")
    return reference.group(0)


def private_objects():
    client = boto3.client(
        "s3",
        endpoint_url=os.environ["S3_ENDPOINT"],
        aws_access_key_id="ci",
        aws_secret_access_key="ci",  # noqa: S106 - moto's server takes any key
        region_name="us-east-1",
    )
    keys = []
    for listing in client.get_paginator("list_objects_v2").paginate(Bucket=os.environ["BUCKET"], Prefix="private/"):
        keys += [item["Key"] for item in listing.get("Contents", [])]
    return client, set(keys)


def clean_scans():
    return Path(os.environ["CLAMD_LOG"]).read_text().count(": OK")


def stored_and_scanned(keys_before, scans_before):
    """This application's two files, and not the demo's: the objects and the clean scans that
    appeared while it was sent."""
    client, keys = private_objects()
    new = sorted(keys - keys_before)
    check(
        len(new) == 2 and {Path(key).suffix for key in new} in ({".pdf", ".jpg"}, {".pdf", ".jpeg"}),
        f"new private objects: {new}",
    )
    pdf_key = next(key for key in new if key.endswith(".pdf"))
    body = client.get_object(Bucket=os.environ["BUCKET"], Key=pdf_key)["Body"].read()
    check(body.startswith(b"%PDF-"), f"{pdf_key} is not the PDF sent")
    step(f"its two files are in the bucket, under private/: {', '.join(new)}")
    scans = clean_scans() - scans_before
    check(scans >= 2, f"clamd logged {scans} clean scans while the application was sent")
    step(f"clamd scanned them ({scans} clean streams in its log while it was sent)")


def moderator(reference):
    browser = Browser()
    login = get_ok(browser, "/admin/login/")
    token = BeautifulSoup(login.text, "html.parser").find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    response = browser.post(
        "/admin/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": "moderatrice",
            "password": os.environ["MODERATOR_PASSWORD"],
            "next": "/admin/",
        },
        allow_redirects=False,
    )
    check(response.status_code == 302, f"the moderator could not sign in: {response.status_code}")
    queue = get_ok(browser, "/admin/moderation/")
    check(reference in queue.text, f"{reference} is not in the moderation queue")
    step(f"the moderator sees {reference} in the queue")


def confirmation_email(reference):
    directory = Path(os.environ["MAIL_DIR"])
    deadline = time.monotonic() + 180  # the worker polls the queue every few seconds
    while time.monotonic() < deadline:
        for path in sorted(directory.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if APPLICANT in str(message["To"]) and reference in path.read_text(errors="replace"):
                step(f"the worker sent the confirmation to the applicant: « {message['Subject']} »")
                return
        time.sleep(1)
    fail(f"no confirmation email for {reference} in {directory}")


if __name__ == "__main__":
    browser = Browser()
    visitor(browser)
    keys_before, scans_before = private_objects()[1], clean_scans()
    reference = applicant(browser)
    stored_and_scanned(keys_before, scans_before)
    moderator(reference)
    confirmation_email(reference)
    step("passed")
