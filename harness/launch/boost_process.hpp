// Internal to harness/launch: the parts of Boost.Process (v1, Debian's libboost1.81-dev, header-only) that the two
// spawns use (guardian_spawn.cpp looks the program up and starts the guardian, guardian_main.cpp starts the child).
// Only those two files include it.
#pragma once

// std::filesystem instead of Boost.Filesystem, whose compiled library (libboost-filesystem1.81-dev) is not installed.
#define BOOST_PROCESS_USE_STD_FS 1

#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/env.hpp>
#include <boost/process/environment.hpp>
#include <boost/process/error.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <boost/process/posix.hpp>
#include <boost/process/start_dir.hpp>

// search_path.hpp names boost::system::error_code without including its header (1.81): without this it does not
// compile with BOOST_PROCESS_USE_STD_FS. (Blocks of their own, so sorting the includes keeps the order.)
#include <boost/system/error_code.hpp>

#include <boost/process/search_path.hpp>

namespace routecheck::launch::detail {
namespace bp = boost::process;
}  // namespace routecheck::launch::detail
