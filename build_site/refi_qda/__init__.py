"""REFI-QDA exchange: import a QDA project (``.qdpx``) or code book (``.qdc``) as a new study
folder, and export a study back as a ``.qdpx`` project (:mod:`build_site.refi_qda.exchange`).

Every reader (:mod:`build_site.refi_qda.readers`, registered by file suffix) returns one
:class:`~build_site.refi_qda.qde.QdaProject`; that value is the seam for import formats: the
import plan (:mod:`build_site.refi_qda.import_plan`) and the study files
(:mod:`build_site.refi_qda.study_import`) work on it alone."""
