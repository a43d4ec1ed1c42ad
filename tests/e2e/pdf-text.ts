// The text of a PDF that Chromium printed (Skia's writer: plain objects, Flate streams,
// Type0 fonts with a ToUnicode map), enough for a test to find what a page says. Each
// text object (BT … ET) becomes one line; glyph codes are read through their font's map.
import zlib from "node:zlib";

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function objectsOf(pdf: Buffer): Map<number, PdfObject> {
  const objects = new Map<number, PdfObject>();
  const text = pdf.toString("latin1");
  const re = /(\d+) 0 obj\s*([\s\S]*?)endobj/g;
  for (let m; (m = re.exec(text)); ) {
    const body = m[2];
    const s = body.indexOf("stream");
    if (s < 0) {
      objects.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, s);
    let start = m.index + m[0].indexOf(body) + s + "stream".length;
    if (text[start] === "\r") start++;
    if (text[start] === "\n") start++;
    const end = text.lastIndexOf("endstream", m.index + m[0].length);
    let raw = pdf.subarray(start, end);
    if (/FlateDecode/.test(dict)) raw = zlib.inflateSync(raw, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    objects.set(Number(m[1]), { dict, stream: raw });
  }
  return objects;
}

function cmapOf(stream: Buffer): Map<number, string> {
  const map = new Map<number, string>();
  const text = stream.toString("latin1");
  const hexText = (hex: string) => {
    let out = "";
    for (let i = 0; i + 4 <= hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    return out;
  };
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, uni] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(code, 16), hexText(uni));
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, a, b, rest] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g)) {
      const [from, to] = [parseInt(a, 16), parseInt(b, 16)];
      if (rest.startsWith("[")) {
        [...rest.matchAll(/<([0-9A-Fa-f]+)>/g)].forEach(([, uni], i) => map.set(from + i, hexText(uni)));
      } else {
        const base = parseInt(rest.slice(1, -1), 16);
        for (let c = from; c <= to; c++) map.set(c, String.fromCharCode(base + c - from));
      }
    }
  }
  return map;
}

/** The PDF's text, one line per text object, whitespace collapsed within a line. */
export async function pdfText(pdf: Buffer): Promise<string> {
  const objects = objectsOf(pdf);
  const ref = (dict: string, key: string) => Number(new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict)?.[1]);
  const lines: string[] = [];
  for (const page of objects.values()) {
    if (!/\/Type\s*\/Page\b/.test(page.dict)) continue;
    const fonts = new Map<string, Map<number, string>>();
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(page.dict)?.[1] ?? "";
    for (const [, name, id] of fontDict.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
      const font = objects.get(Number(id));
      const toUnicode = font ? objects.get(ref(font.dict, "ToUnicode")) : undefined;
      fonts.set(name, toUnicode?.stream ? cmapOf(toUnicode.stream) : new Map());
    }
    const contentIds = [...(/\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(page.dict)?.[1] ?? "").matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
    for (const id of contentIds) {
      const content = objects.get(id)?.stream?.toString("latin1") ?? "";
      let font = new Map<number, string>();
      let line = "";
      for (const [token] of content.matchAll(/\/\w+\s+[\d.]+\s+Tf|<[0-9A-Fa-f]*>|\bET\b/g)) {
        if (token.endsWith("Tf")) font = fonts.get(/\/(\w+)/.exec(token)![1]) ?? new Map();
        else if (token === "ET") {
          if (line.trim()) lines.push(line.replace(/\s+/g, " ").trim());
          line = "";
        } else {
          const hex = token.slice(1, -1);
          for (let i = 0; i + 4 <= hex.length; i += 4) line += font.get(parseInt(hex.slice(i, i + 4), 16)) ?? "";
        }
      }
    }
  }
  return lines.join("\n");
}
