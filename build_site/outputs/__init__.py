"""What is made from a prepared study besides the site: the archive package
(:mod:`build_site.outputs.package`), the PDF (:mod:`build_site.outputs.pdf`), the per-case
review packets (:mod:`build_site.outputs.packets`), their encryption
(:mod:`build_site.outputs.encrypt`) and the local preview server
(:mod:`build_site.outputs.serve`)."""
