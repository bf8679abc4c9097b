/* Linked only into SIZE=1 builds that lld links with DT_RELR relocations
 * (Makefile, SIZE_LLD). glibc >= 2.36 refuses to load a binary with DT_RELR
 * unless it also needs the version GLIBC_ABI_DT_RELR of libc.so.6 ("DT_RELR
 * without GLIBC_ABI_DT_RELR dependency"); lld 14 packs the relocations but
 * does not add that need (lld 15's -z pack-relative-relocs does). A reference
 * to the absolute symbol libc defines with that version adds it, so an older
 * glibc also refuses the binary by name instead of running it unrelocated. */
extern const char GLIBC_ABI_DT_RELR;
__asm__(".symver GLIBC_ABI_DT_RELR, GLIBC_ABI_DT_RELR@GLIBC_ABI_DT_RELR");
const char* const onvifd_dt_relr_mark = &GLIBC_ABI_DT_RELR;
