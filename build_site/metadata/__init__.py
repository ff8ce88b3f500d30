"""Research metadata: what repositories, search engines and reference managers read.

ORCID iDs (:mod:`.orcid`), plain-text descriptions (:mod:`.plaintext`), the rules for a
demonstration study (:mod:`.demonstration`), schema.org JSON-LD and ``citation_*`` tags for the
home page (:mod:`.webmeta`), BibTeX and RIS (:mod:`.bibliographic`), deposit files
(:mod:`.deposit`), the Frictionless data package of the downloads (:mod:`.datapackage`) and
the RO-Crate of the supplement (:mod:`.rocrate`).
"""
