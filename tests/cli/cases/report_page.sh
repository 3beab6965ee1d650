# The report's index.html opened in headless Chromium (Debian's chromium,
# installed by `make deps-test`): it loads with no errors in Chromium's log
# and no loads but the page itself, its DOM has the four charts as inline PNG
# (the report's own files, byte for byte), the alerts and worst-shops tables
# (cell for cell as alerts.tsv and worst.tsv) and the headline figures, and
# nothing that could load or run anything. A screenshot is kept as a test
# artefact: build/test-artifacts/report-page.png. The same checks are run on
# a copy of the page with faults planted, and must find them.
if ! command -v chromium > /dev/null; then
	sh "$REPO/tests/deps.sh" chromium > install.log 2>&1 || :
	why=$(tail -n 1 install.log)
	command -v chromium > /dev/null || {
		echo "skip: no chromium on PATH, and tests/deps.sh chromium did not install it${why:+: $why}" >&2
		exit 77
	}
fi
"$TOUSU" report --out rep --date 2026-10-31 --threshold 0.05 --min-orders 20 \
	--orders "$REPO/samples/orders.csv" --complaints "$REPO/samples/complaints.csv" 2> report.err
page=$PWD/rep/2026-10-31/index.html

# browse PAGE NAME: NAME.dom (the DOM after loading), NAME.png (1280x2000
# screenshot) and NAME.log (Chromium's log); a fresh profile in NAME.profile
browse() {
	rc=0
	timeout 120 chromium --headless --disable-gpu --no-sandbox --no-first-run \
		--user-data-dir="$PWD/$2.profile" --enable-logging=stderr --v=0 \
		--vmodule=file_url_loader_factory=1 --window-size=1280,2000 \
		--screenshot="$PWD/$2.png" --dump-dom "file://$1" > "$2.dom" 2> "$2.log" || rc=$?
	[ $rc = 0 ] || { echo "chromium: exit $rc on $1"; cat "$2.log"; exit 1; }
}
# problems LOG PAGE: the lines of Chromium's log that say something went
# wrong with the page: a console message (there is no script, so any is an
# error or a refused load), an uncaught exception, a net error, any other
# ERROR or FATAL line, and loading any file but the page
problems() {
	awk -v page="file://$2" '
	# Known noise, not about the page, each seen on a clean page:
	# - Debian launcher: /etc/chromium.d/dev-shm tests `[ $shm_avail -lt N ]`,
	#   which breaks when findmnt lists /dev/shm twice (containers)
	/^\/usr\/bin\/chromium: [0-9]+: \[: / { next }
	# - no D-Bus system or session bus (containers, cron): each connection
	#   and call through it fails, and the idle detector finds no screensaver
	/:ERROR:dbus\// || /:WARNING:ui\/base\/idle\// { next }
	# - no GPU (--disable-gpu, no /dev/dri): VA-API finds no DRM device
	/:WARNING:media\/gpu\/vaapi\// { next }
	# - as root, --no-sandbox: the GPU process says it started threads
	#   before the (disabled) sandbox
	/:WARNING:sandbox\/policy\// { next }
	/FileURLLoader::Start: / { if ($NF != page) print "loads " $NF; next }
	/CONSOLE|Uncaught|net::ERR_|:ERROR:|:FATAL:/ { print }
	' "$1"
}
# check_dom DOM FOLDER: what the page shows, or what is wrong with it
cat > check_dom.py <<'PY'
import base64, html.parser, os, sys
dom, folder = sys.argv[1:3]

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.refs, self.imgs, self.tables, self.figures = set(), [], [], {}, []
        self.section = self.cell = self.text = None
        self.title = ""
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        self.refs += [(tag, k, v) for k, v in attrs if k in ("src", "href", "srcset", "action", "data", "poster", "background")]
        if tag == "img":
            self.imgs.append(a.get("src", ""))
        elif tag == "section":
            self.section = a.get("id")
        elif tag == "h2" and self.section:
            self.text = ""
        elif tag == "tr" and self.section:
            self.tables.setdefault(self.section, {"rows": []})["rows"].append([])
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "span" and a.get("class") in ("value", "label"):
            self.text = ""
        elif tag == "title":
            self.text = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[self.section]["rows"][-1].append(self.cell)
            self.cell = None
        elif tag == "h2" and self.text is not None:
            self.tables.setdefault(self.section, {"rows": []})["heading"] = self.text
            self.text = None
        elif tag == "span" and self.text is not None:
            self.figures.append(self.text)
            self.text = None
        elif tag == "title":
            self.title, self.text = self.text or "", None
        elif tag == "section":
            self.section = None
    def handle_data(self, d):
        if self.cell is not None:
            self.cell += d
        elif self.text is not None:
            self.text += d

p = Page()
with open(dom, encoding="utf-8") as f:
    p.feed(f.read())
bad = []
for tag in ("script", "link", "iframe", "object", "embed", "base", "form"):
    if tag in p.tags:
        bad.append(f"a <{tag}> element")
for tag, k, v in p.refs:
    # data: images, anchors, and links to the tsv files beside the page
    if not (v.startswith("data:image/png;base64,") or v.startswith("#") or
            (tag == "a" and k == "href" and v.endswith(".tsv") and "/" not in v and ":" not in v)):
        bad.append(f"<{tag} {k}={v[:60]!r}>")
charts = ["top.png", "trend.png", "types.png", "distribution.png"]
png = [i for i in p.imgs if i.startswith("data:image/png;base64,")]
if len(png) != 4 or len(p.imgs) != 4:
    bad.append(f"{len(p.imgs)} images, {len(png)} of them data:image/png")
for src, name in zip(png, charts):
    with open(os.path.join(folder, name), "rb") as f:
        if base64.b64decode(src.split(",", 1)[1], validate=True) != f.read():
            bad.append(f"the chart inlined for {name} is not {name}")
def tsv(name):
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    rows[0][0] = rows[0][0].lstrip("#")
    return rows
shown = {}
for section, name, heading in (("table-1", "alerts.tsv", "Alerts"), ("table-2", "worst.tsv", "Worst shops")):
    t = p.tables.get(section, {})
    want = tsv(name)
    if t.get("heading") != heading:
        bad.append(f"{section} is {t.get('heading')!r}, not {heading!r}")
    elif t["rows"] != want:
        bad.append(f"{heading}: the table is not {name} ({len(t['rows'])} rows, {len(want)} in the file)")
    shown[heading] = len(want) - 1
if bad:
    print("\n".join(bad))
    sys.exit(1)
print(f"title: {p.title}")
print("figures: " + "; ".join(f"{v} {l}" for v, l in zip(p.figures[::2], p.figures[1::2])))
print(f"charts: {len(png)} inline PNG, each the report's {', '.join(charts)}")
print(f"tables: {shown['Alerts']} alert rows = alerts.tsv, {shown['Worst shops']} worst-shops rows = worst.tsv, cell for cell")
print("nothing loads or runs: no script, link, frame or form; every src is data:image/png")
PY

browse "$page" page
problems page.log "$page" > page.problems
[ ! -s page.problems ] || { echo "chromium reported:"; cat page.problems; exit 1; }
echo "chromium: loaded the page, nothing in its log about it, no file loaded but the page"
python3 check_dom.py page.dom rep/2026-10-31
# the screenshot: a 1280x2000 PNG; a blank page would compress to a few KB
python3 - page.png <<'PY'
import struct, sys
with open(sys.argv[1], "rb") as f:
    data = f.read()
assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (1280, 2000), (w, h)
assert len(data) > 50000, f"{len(data)} bytes: blank?"
print(f"screenshot: {w}x{h} PNG")
PY
mkdir -p "$REPO/build/test-artifacts"
cp page.png "$REPO/build/test-artifacts/report-page.png"

# planted faults: no Content-Security-Policy, a missing image, an image over
# http, a script that throws; the log and the DOM checks must see them
sed -e '/Content-Security-Policy/d' -e 's|<body>|<body><img src="missing.png"><img src="http://127.0.0.1:9/x.png"><script>throw new Error("planted")</script>|' \
	"$page" > rep/2026-10-31/planted.html
browse "$PWD/rep/2026-10-31/planted.html" planted
problems planted.log "$PWD/rep/2026-10-31/planted.html" > planted.problems
rc=0; python3 check_dom.py planted.dom rep/2026-10-31 > planted.dom-problems || rc=$?
echo "planted faults: in the log, $(grep -c '^loads .*missing.png$' planted.problems) file load and $(grep -c 'Uncaught Error: planted' planted.problems) uncaught error; check_dom exit $rc:"
sed 's/^/  /' planted.dom-problems
