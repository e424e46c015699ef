// The AWS SDK warns once per process that its 2027 releases need Node 22 (README: nothing changes
// on Node 20 until then). Known and documented, so not repeated by every test file and child.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
