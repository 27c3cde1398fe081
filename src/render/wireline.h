/* wireline.h — one line for a packet of the wire (wire/wire.h):
 *   127.0.0.1:5001 → 127.0.0.1:5000 UDP 5 bytes "reply"
 *   127.0.0.1:40112 → 127.0.0.1:7000 TCP [SYN]
 *   10.77.0.1 → 10.77.0.255 UDP ...; ARP who has 10.77.0.2? tell 10.77.0.1
 * in the locale's arrow (glyphs.h). */
#ifndef SOCKLAB_RENDER_WIRELINE_H
#define SOCKLAB_RENDER_WIRELINE_H

#include <stddef.h>

#include "wire/wire.h"

void wireline_format(char *buf, size_t len, const struct wire_pkt *p);

#endif
