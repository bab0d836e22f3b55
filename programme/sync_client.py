"""The reference partner client of docs/api.md: a mirror kept exact by the changes feed.

Standard library only, so that a partner can copy it as it is. tests/concurrency/
test_sync_client_live.py runs it against a live server while writers change the data.
"""

import json
import urllib.parse
import urllib.request

LISTS = {"zone": "zones", "developer": "developers", "incentive": "incentives",
         "company": "companies", "interest": "interests", "pledge": "pledges"}  # fmt: skip


class Mirror:
    def __init__(self, api_url, key=None, page_size=1000):
        if urllib.parse.urlsplit(api_url).scheme not in ("http", "https"):
            raise ValueError(f"An http(s) address is needed, not {api_url!r}.")
        self.api_url, self.page_size = api_url.rstrip("/") + "/", page_size
        self.headers = {"Authorization": f"Api-Key {key}"} if key else {}
        self.rows, self.cursor = {}, None  # (resource, id) → row as the API shows it

    def get(self, url):
        url = urllib.parse.urljoin(self.api_url, url)  # the API's links are on its own host
        request = urllib.request.Request(url, headers=self.headers)  # noqa: S310 (checked above)
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return json.load(response)

    def full_sync(self):
        """A first run: take the cursor BEFORE the full read, read every list, then catch up."""
        cursor, self.rows = self.get("changes/cursor/")["cursor"], {}
        for resource, path in LISTS.items():
            url = f"{path}/?cursor=&page_size={self.page_size}"  # keyset pages in id order
            while url:
                page = self.get(url)
                self.rows.update(((resource, row["id"]), row) for row in page["results"])
                url = page["next"]
        self.cursor = cursor
        self.sync()

    def sync(self):
        """Every later run: apply the changes after the cursor, in order, until caught up."""
        query = urllib.parse.urlencode({"after": self.cursor, "page_size": self.page_size})
        url = f"changes/?{query}"
        while url:
            page = self.get(url)
            for change in page["results"]:
                key = (change["resource"], change["id"])  # by id: a re-created slug is a new row
                if change["data"] is None:  # deleted (an upsert's row may be gone since)
                    self.rows.pop(key, None)
                else:
                    self.rows[key] = change["data"]
            self.cursor, url = page["cursor"], page["next"]  # store the cursor with the rows
