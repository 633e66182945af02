# harness/launch sources, included by harness/CMakeLists.txt into routecheck_core (paths relative to harness/).
# Needs: CURL::libcurl, nlohmann_json::nlohmann_json, Threads::Threads.
set(ROUTECHECK_LAUNCH_SOURCES
  launch/process.cpp
  launch/guardian.cpp
  launch/ports.cpp
  launch/tempdir.cpp
  launch/template.cpp
  launch/readiness.cpp
  launch/proxy.cpp
)
