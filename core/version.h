/*
 * version.h - what this steward is: its version and the Lua VM it was
 * built on, as `steward version`, the daemon's /v1/health and /metrics,
 * and every stored run (for replay) say them. Constants only.
 */
#ifndef ST_VERSION_H
#define ST_VERSION_H

#include "luacompat.h"

#define ST_VERSION "0.2.0"

#if ST_LUAJIT
#define ST_VM LUAJIT_VERSION          /* "LuaJIT 2.1.0-beta3" */
#else
#define ST_VM LUA_RELEASE             /* "Lua 5.4.4" */
#endif

#endif
