/*
 * The build a run was recorded from (benchtrack run --commits): its build command and
 * binary, kept in the run's options JSON, so a later `run --commits` can tell which
 * commits are already recorded with the same build. docs/cli/run.md, "Recording a range".
 */
#ifndef BTK_RUNTAG_H
#define BTK_RUNTAG_H

#include "model.h"

/* Add "source": "run-commits", "build_command": build and "build_binary": binary to the
 * run's options JSON (an object; anything else is replaced by one). BTK_ENOMEM. */
int btk_runtag_set_build(btk_run *run, const char *build, const char *binary);

/* Whether the run's options JSON says it was built with build and binary. */
bool btk_runtag_has_build(const btk_run *run, const char *build, const char *binary);

#endif
