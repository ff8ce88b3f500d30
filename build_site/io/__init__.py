"""Study folders in and out, outside the build pipeline: importers and exporters, and
synthetic study folders for benchmarks and tests (:mod:`build_site.io.synth`)."""
