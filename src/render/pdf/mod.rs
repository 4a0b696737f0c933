pub fn render_pdf() {}
