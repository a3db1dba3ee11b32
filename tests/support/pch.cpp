// The source of the targets that make the suites' precompiled headers (tests/CMakeLists.txt):
// they compile nothing of their own.
