#!/usr/bin/env python3
"""`npm run lint:template`: template.yaml through AWS's own tools, offline.

1. cfn-lint on the raw SAM template (cfn-lint runs the SAM transform itself, then lints).
2. The AWS SAM translator (samtranslator, the library behind `sam deploy`'s transform) turns the
   template into the CloudFormation that would actually be created, with local CodeUri paths
   replaced by S3 URIs the way `sam package` does. No AWS call: the boto session only names a
   Region, and the managed-policy map is never fetched from IAM (see MANAGED_POLICY_ARNS).
3. cfn-lint on that translated template, so what CloudFormation will receive is checked too
   (e.g. a DependsOn naming a resource SAM generates under another logical id).

Exit codes: 0 clean, 1 a lint or the translation failed, 3 cfn-lint or samtranslator missing.
The same Python interpreter runs every step, so both tools come from one environment.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# SAM resolves managed-policy NAMES in a function's `Policies` through IAM ListPolicies. This
# template gives every function its own role and uses no names, so the map stays empty and a
# template that starts using one fails here loudly instead of reaching out to IAM.
MANAGED_POLICY_ARNS: dict[str, str] = {}

# Placeholder for what `sam package` uploads: the translator only accepts S3 code locations.
PACKAGED_CODE_URI = 's3://sam-artifacts-placeholder/{logical_id}.zip'

CFN_LINT_MAIN = 'import sys; from cfnlint.runner import main; sys.argv[0] = "cfn-lint"; sys.exit(main())'


def require_tools() -> tuple[str, str]:
    """The versions of cfn-lint and samtranslator, or exit 3 with what to install."""
    missing = []
    versions = {}
    for module, package in (('cfnlint', 'cfn-lint'), ('samtranslator', 'aws-sam-translator')):
        try:
            imported = __import__(module)
            versions[package] = getattr(imported, '__version__', None) or _dist_version(package)
        except ImportError:
            missing.append(package)
    if missing:
        sys.stderr.write(
            f'lint:template: {", ".join(missing)} not importable by {sys.executable}.\n'
            '  Both are Python packages (cfn-lint 1.x, aws-sam-translator 1.x). Install them for this\n'
            '  interpreter, e.g. `python3 -m pip install cfn-lint aws-sam-translator` where PyPI is\n'
            '  reachable, or run with PYTHON=<an interpreter that has them> (.ci/run does this).\n'
        )
        sys.exit(3)
    return versions['cfn-lint'], versions['aws-sam-translator']


def _dist_version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def samconfig_region(default: str = 'us-east-1') -> str:
    """The deploy Region from samconfig.toml (what `sam deploy` would use), else the default."""
    import tomllib

    path = os.path.join(PROJECT_ROOT, 'samconfig.toml')
    try:
        with open(path, 'rb') as handle:
            config = tomllib.load(handle)
    except FileNotFoundError:
        return default
    return config.get('default', {}).get('deploy', {}).get('parameters', {}).get('region', default)


def package_code_uris(template: dict) -> dict:
    """Replaces local CodeUri values (Globals and per function) with S3 URIs, as `sam package` does."""
    globals_function = template.get('Globals', {}).get('Function', {})
    if isinstance(globals_function.get('CodeUri'), str) and not globals_function['CodeUri'].startswith('s3://'):
        globals_function['CodeUri'] = PACKAGED_CODE_URI.format(logical_id='Globals')
    for logical_id, resource in template.get('Resources', {}).items():
        properties = resource.get('Properties') or {}
        if resource.get('Type') == 'AWS::Serverless::Function':
            code_uri = properties.get('CodeUri')
            if isinstance(code_uri, str) and not code_uri.startswith('s3://'):
                properties['CodeUri'] = PACKAGED_CODE_URI.format(logical_id=logical_id)
    return template


def translate(template_path: str, region: str) -> dict:
    """The CloudFormation template SAM would create from template_path (raises on SAM errors)."""
    import boto3
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator
    from samtranslator.yaml_helper import yaml_parse

    with open(template_path, encoding='utf-8') as handle:
        template = package_code_uris(yaml_parse(handle.read()))

    def managed_policy_map() -> dict[str, str]:
        if not MANAGED_POLICY_ARNS:
            raise RuntimeError('the template uses SAM managed-policy names; list them in MANAGED_POLICY_ARNS')
        return MANAGED_POLICY_ARNS

    # A Session with a Region set is local state only: it makes no request.
    translator = Translator(None, Parser(), boto_session=boto3.session.Session(region_name=region))
    try:
        return translator.translate(template, parameter_values={}, get_managed_policy_map=managed_policy_map)
    except InvalidDocumentException as error:
        raise RuntimeError('; '.join(str(cause) for cause in error.causes)) from error


def cfn_lint(path: str, region: str) -> int:
    shown = os.path.relpath(path, PROJECT_ROOT) if path.startswith(PROJECT_ROOT + os.sep) else path
    print(f'$ cfn-lint --regions {region} -- {shown}', flush=True)
    return subprocess.run([sys.executable, '-c', CFN_LINT_MAIN, '--regions', region, '--', path], check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--template', default=os.path.join(PROJECT_ROOT, 'template.yaml'))
    parser.add_argument('--region', default=None, help="Region to lint and translate for (default: samconfig.toml's)")
    parser.add_argument('--translated-out', default=None, help='also keep the translated template at this path (JSON)')
    args = parser.parse_args()

    lint_version, translator_version = require_tools()
    region = args.region or samconfig_region()
    template_path = os.path.abspath(args.template)
    print(f'lint:template: cfn-lint {lint_version}, aws-sam-translator {translator_version}, Region {region}', flush=True)

    failures = []
    if cfn_lint(template_path, region) != 0:
        failures.append('cfn-lint on the SAM template')

    try:
        translated = translate(template_path, region)
    except Exception as error:  # the translator's own message is the useful part
        print(f'SAM translation failed: {error}', flush=True)
        failures.append('SAM translation')
        translated = None

    if translated is not None:
        with tempfile.TemporaryDirectory(prefix='lint-template-') as scratch:
            out_path = args.translated_out or os.path.join(scratch, 'translated.json')
            with open(out_path, 'w', encoding='utf-8') as handle:
                json.dump(translated, handle, indent=2)
            print(f'translated: {len(translated.get("Resources", {}))} CloudFormation resources', flush=True)
            if cfn_lint(out_path, region) != 0:
                failures.append('cfn-lint on the translated template')

    if failures:
        print(f'lint:template FAILED: {", ".join(failures)}', flush=True)
        return 1
    print('lint:template: both templates are clean', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
