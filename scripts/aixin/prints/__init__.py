"""Print-ready PDFs drawn with ReportLab: the mother's sign (标识牌, `sign`) and the certificate
(奖状, `certificate`). Chinese text uses ReportLab's built-in CID font, so no font file ships; a
reader's PDF viewer supplies the glyphs."""
