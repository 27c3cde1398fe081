/* labtext.h — a lab's narration in the reader's language.
 *
 * A lab is plain C and narrates in English (lab.h): its STEP titles and
 * whys, ASK questions, NOTEs and SKIPs carry, beside the text printf made,
 * the format the lab wrote and its arguments (proto.h: fmt, args).  The
 * consumer looks the format up in socklab's catalog (po/LANG.po, where
 * xgettext put the labs' formats: make pot) and fills the translation
 * with the same arguments.  A text with no translation, or from a lab
 * that sent no format, stays as the lab printed it, byte for byte. */
#ifndef SOCKLAB_LABTEXT_H
#define SOCKLAB_LABTEXT_H

#include "lab/proto.h"

/* Translate ev's prose in place (lab: title and summary; step: title,
 * why and ask; note, skip and error: text).  Other kinds are left. */
void labtext_translate(struct proto_event *ev);

/* The same with the catalog tr (msgid -> its translation, msgid itself
 * when there is none): the tests' seam. */
void labtext_translate_with(struct proto_event *ev, const char *(*tr)(const char *msgid));

#endif
