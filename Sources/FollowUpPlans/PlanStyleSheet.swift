/// The plan page's stylesheet: inline, self-contained (system fonts, no URLs), with print rules
/// that fit both A4 and US Letter (the page size is the printer's; margins and the sheet's width
/// fit the narrower of the two) and keep a section, a figure or an entry on one page.
///
/// Kept free of `<` and `&` so the page stays well-formed XML without a CDATA section.
enum PlanStyleSheet {
    static let css: StaticString = """
    @page { margin: 14mm 14mm 16mm 14mm; }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body { margin: 0; background: #e9edf1; color: #1f2d3a;
      font-family: "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif;
      font-size: 11pt; line-height: 1.45; }
    .sheet { background: #ffffff; max-width: 210mm; margin: 24px auto; padding: 14mm 16mm 16mm;
      box-shadow: 0 2px 14px rgba(31, 45, 58, 0.18); }
    .letterhead { border-bottom: 3px solid #1f6f8b; padding-bottom: 10px; margin-bottom: 18px; }
    .brand { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; }
    .clinic { font-size: 15pt; font-weight: 700; color: #1f6f8b; letter-spacing: 0.01em; }
    img.logo { max-height: 18mm; max-width: 45mm; margin-right: 10px; flex: 0 0 auto; }
    .clinic-block { flex: 1 1 auto; }
    .clinic-details { font-style: normal; font-size: 8.5pt; color: #5b6875; line-height: 1.35; }
    .clinic-details span { display: block; }
    .doc-kind { font-size: 9pt; text-transform: uppercase; letter-spacing: 0.12em; color: #5b6875; }
    h1 { font-size: 20pt; margin: 10px 0 8px; font-weight: 700; }
    h2 { font-size: 13pt; margin: 0 0 6px; color: #1f6f8b; border-bottom: 1px solid #d5dde4; padding-bottom: 3px; }
    .meta { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 2px 24px; margin: 0; }
    .meta div { display: flex; gap: 8px; }
    .meta dt { color: #5b6875; min-width: 92px; }
    .meta dd { margin: 0; font-weight: 600; }
    section { margin: 0 0 16px; }
    .intro { margin: 0 0 8px; color: #3d4a56; }
    ul.entries { list-style: none; margin: 0; padding: 0; }
    ul.entries li { position: relative; padding: 0 0 6px 18px; }
    ul.entries li::before { content: ""; position: absolute; left: 4px; top: 0.6em; width: 6px; height: 6px;
      border-radius: 50%; background: #1f6f8b; }
    ul.entries li.spot { padding-left: 34px; margin-bottom: 6px; }
    sup.amended-mark { color: #b3261e; font-size: 7.5pt; margin-left: 4px; }
    ul.entries li.amendment-note { font-size: 9.5pt; color: #555; }
    ul.entries li.spot::before { display: none; }
    .badge { position: absolute; left: 0; top: 1px; width: 23px; height: 23px; border-radius: 50%;
      background: #c2410c; color: #ffffff; font-weight: 700; font-size: 10pt; text-align: center; line-height: 23px; }
    .label { font-weight: 700; }
    li.spot .where { display: block; margin-bottom: 1px; }
    li.spot .step { display: block; }
    li.spot .step b { color: #3d4a56; }
    .split { display: flex; gap: 18px; align-items: flex-start; }
    .split .entries { flex: 1 1 54%; }
    figure { margin: 0; }
    figure.body { flex: 0 0 46%; max-width: 46%; text-align: center; }
    figure svg { width: 100%; height: auto; display: block; }
    figure.pain { max-width: 125mm; }
    figcaption { font-size: 9pt; color: #5b6875; margin-top: 2px; }
    .red-flags { border: 2px solid #b91c1c; border-radius: 6px; padding: 10px 14px 6px; background: #fef2f2; }
    .red-flags h2 { color: #b91c1c; border-bottom-color: #f5c2c2; }
    .red-flags ul.entries li::before { background: #b91c1c; }
    .red-flags li { font-weight: 600; }
    .letter p { margin: 0 0 10px; }
    .closing { margin-top: 20px; }
    .closing p { margin: 0; }
    .footnote { margin-top: 18px; padding-top: 6px; border-top: 1px solid #d5dde4; font-size: 9pt; color: #5b6875; }
    @media print {
      body { background: none; font-size: 10.5pt; }
      .sheet { box-shadow: none; margin: 0; padding: 0; max-width: none; }
      html, body { width: auto; }
      figure, li, .letterhead, .closing, .meta, .red-flags, section.review, section.response, section.pain { break-inside: avoid; page-break-inside: avoid; }
      h2, .intro { break-after: avoid; page-break-after: avoid; }
      .letterhead { margin-bottom: 12px; }
      figure.body svg { max-height: 120mm; }
      a { color: inherit; text-decoration: none; }
      .red-flags { background: none; }
    }
    @media (max-width: 640px) {
      .split { display: block; }
      figure.body { max-width: 100%; }
      .meta { grid-template-columns: 1fr; }
    }
    """
}
