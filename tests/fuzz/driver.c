/* driver.c — a main() for the fuzz harnesses without libFuzzer: feeds each
 * file named on the command line to LLVMFuzzerTestOneInput once, so `make
 * test` replays the committed corpora and regressions with any compiler
 * (gcc, clang, SAN=1).  A harness that finds a bug aborts, and so fails. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The whole file in a buffer of exactly its size, so ASan sees overreads. */
static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;
	char chunk[4096];

	if (f == NULL)
		return NULL;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		uint8_t *p = realloc(buf, cap = n + got);

		if (p == NULL) {
			free(buf);
			fclose(f);
			return NULL;
		}
		buf = p;
		for (size_t i = 0; i < got; i++)
			buf[n + i] = (uint8_t)chunk[i];
		n += got;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*size = n;
	return buf ? buf : malloc(1);	/* an empty file is an input too */
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		size_t size = 0;
		uint8_t *data = slurp(argv[i], &size);

		if (data == NULL) {
			perror(argv[i]);
			return 2;
		}
		LLVMFuzzerTestOneInput(data, size);
		free(data);
	}
	printf("%s: %d inputs, no crash\n", argv[0], argc - 1);
	return 0;
}
