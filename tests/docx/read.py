"""Independent readers for the DOCX tests (run with Debian's /usr/bin/python3).

  read.py html FILE          the text of the HTML's <main>, whitespace collapsed
  read.py lo-text FILE OUT   the DOCX's text as LibreOffice lays it out (list numbers
                             included), whitespace collapsed
  read.py lo-pdf-text FILE OUT  the text of the PDF LibreOffice prints of the DOCX
  read.py docx FILE          python-docx: style name and text of every paragraph
  read.py accept FILE        the text after accepting every tracked change (w:del dropped,
                             w:ins unwrapped), one paragraph a line
  read.py reject FILE        the same after rejecting every tracked change
  read.py insert FILE OUT T  insert a paragraph in the Clause style before the Clause
                             paragraph that starts with T, and save as OUT
"""
import html
import html.parser
import os
import re
import subprocess
import sys
import tempfile
import zipfile


def collapse(s):
    return re.sub(r"\s+", " ", s).strip()


BLOCK = {"p", "li", "h1", "h2", "h3", "tr", "td", "th", "dt", "dd", "div", "br", "section",
         "article", "header", "ol", "ul", "table", "dl"}


ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


class Text(html.parser.HTMLParser):
    """The text a reader sees, with the letters the style sheet puts before the items of a
    lettered list (a., b., …; i., ii., … one level down)."""

    def __init__(self):
        super().__init__()
        self.out = []
        self.on = False
        self.lists = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.on = True
        elif self.on and tag in BLOCK:
            self.out.append(" ")
        if self.on and tag in ("ol", "ul"):
            lettered = tag == "ol" and "lettered" in (dict(attrs).get("class") or "")
            self.lists.append([lettered, 0])
        if self.on and tag == "li" and self.lists and self.lists[-1][0]:
            self.lists[-1][1] += 1
            depth = sum(1 for l in self.lists if l[0])
            n = self.lists[-1][1]
            label = chr(ord("a") + n - 1) if depth == 1 else ROMAN[n - 1] if depth == 2 else str(n)
            self.out.append(label + ". ")

    def handle_endtag(self, tag):
        if tag == "main":
            self.on = False
        if self.on and tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        elif self.on and tag in BLOCK:
            self.out.append(" ")

    def handle_data(self, data):
        if self.on:
            self.out.append(data)


def html_text(path):
    p = Text()
    p.feed(open(path, encoding="utf-8").read())
    return collapse("".join(p.out))


def lo_convert(path, outdir, to):
    subprocess.run(
        # A profile of its own: two LibreOffice processes on one profile refuse to start.
        ["soffice", "-env:UserInstallation=file://" + os.path.abspath(outdir) + "/profile",
         "--headless", "--convert-to", to, "--outdir", outdir, path],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return os.path.join(outdir, os.path.splitext(os.path.basename(path))[0])


def lo_text(path, outdir):
    out = lo_convert(path, outdir, "txt:Text (encoded):UTF8") + ".txt"
    return collapse(open(out, encoding="utf-8-sig").read())


def lo_pdf_text(path, outdir):
    """The text of the PDF LibreOffice prints: fields such as REF are updated for the
    layout (the text export keeps their stored results)."""
    out = lo_convert(path, outdir, "pdf") + ".pdf"
    text = subprocess.run(["pdftotext", "-raw", out, "-"], check=True, capture_output=True).stdout
    return collapse(text.decode("utf-8"))


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def revised(path, accept):
    from lxml import etree
    xml = zipfile.ZipFile(path).read("word/document.xml")
    root = etree.fromstring(xml)
    gone, keep = (W + "del", W + "ins") if accept else (W + "ins", W + "del")
    lines = []
    for p in root.iter(W + "p"):
        mark = p.find(W + "pPr/" + W + "rPr/" + gone)
        if mark is not None:
            continue
        text = []
        for el in p.iter(W + "t", W + "delText", W + "br"):
            if any(a.tag == gone for a in el.iterancestors()):
                continue
            text.append("\n" if el.tag == W + "br" else (el.text or ""))
        lines.append("".join(text))
    return "\n".join(lines)


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "html":
        print(html_text(path))
    elif cmd == "lo-text":
        print(lo_text(path, sys.argv[3]))
    elif cmd == "lo-pdf-text":
        print(lo_pdf_text(path, sys.argv[3]))
    elif cmd == "docx":
        import docx
        for p in docx.Document(path).paragraphs:
            print(f"{p.style.name}\t{p.text}")
    elif cmd in ("accept", "reject"):
        print(revised(path, cmd == "accept"))
    elif cmd == "insert":
        import docx
        d = docx.Document(path)
        at = next(p for p in d.paragraphs if p.style.name == "Clause" and p.text.startswith(sys.argv[4]))
        new = at.insert_paragraph_before("Ingevoegd door de advocaat.")
        new.style = d.styles["Clause"]
        d.save(sys.argv[3])


main()
