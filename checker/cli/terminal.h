// What the terminal can show: colour (TTY, NO_COLOR, TERM) and Unicode marks (the locale).
#pragma once

#include "platform/env.h"

namespace tlsdoctor::cli {

// https://no-color.org: any NO_COLOR value turns colour off; so do TERM=dumb and a non-TTY.
bool use_color(const platform::Env& env, int fd, bool no_color_flag);
// The first of LC_ALL, LC_CTYPE, LANG that is set decides; UTF-8 there means ✓ ! ✗ marks.
bool use_unicode(const platform::Env& env);

}  // namespace tlsdoctor::cli
