// dd-trace must be initialised before anything else loads (its docs: the first import of the
// entry point). In AWS Lambda with no Datadog extension it exports through its LogExporter:
// one `{"traces":[[…]]}` line per finished trace on stdout (dd-trace/packages/dd-trace/src/exporter.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('dd-trace').init();
