/*
 * Marks one entry of an ELF64 shared object's .gnu.version_r (version needs) section as
 * weak (VER_FLG_WEAK). The dynamic loader then no longer refuses to load the object when
 * the providing library lacks that version; symbols still bind by name.
 * patchelf cannot set this flag, hence this small tool.
 *
 * usage: weaken_version_need <file.so> <version name, e.g. GLIBCXX_3.4.32>
 * exit:  0 flag set (or already set), 1 version not found, 2 bad input.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *read_file(const char *path, long *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)*size);
    if (data && fread(data, 1, (size_t)*size, f) != (size_t)*size) { free(data); data = NULL; }
    fclose(f);
    return data;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s <file.so> <version>\n", argv[0]); return 2; }
    long size = 0;
    unsigned char *elf = read_file(argv[1], &size);
    if (!elf || size < (long)sizeof(Elf64_Ehdr) || memcmp(elf, ELFMAG, SELFMAG) != 0 || elf[EI_CLASS] != ELFCLASS64) {
        fprintf(stderr, "%s: not a readable ELF64 file\n", argv[1]);
        return 2;
    }
    Elf64_Ehdr *eh = (Elf64_Ehdr *)elf;
    if (eh->e_shoff + (Elf64_Off)eh->e_shnum * sizeof(Elf64_Shdr) > (Elf64_Off)size) {
        fprintf(stderr, "%s: truncated section table\n", argv[1]);
        return 2;
    }
    Elf64_Shdr *sections = (Elf64_Shdr *)(elf + eh->e_shoff);
    int found = 0;
    for (int s = 0; s < eh->e_shnum && !found; s++) {
        if (sections[s].sh_type != SHT_GNU_verneed) continue;
        const char *strings = (const char *)elf + sections[sections[s].sh_link].sh_offset;
        Elf64_Off need_off = sections[s].sh_offset;
        for (Elf64_Word n = 0; n < sections[s].sh_info && !found; n++) {
            Elf64_Verneed *need = (Elf64_Verneed *)(elf + need_off);
            Elf64_Off aux_off = need_off + need->vn_aux;
            for (Elf64_Half a = 0; a < need->vn_cnt; a++) {
                Elf64_Vernaux *aux = (Elf64_Vernaux *)(elf + aux_off);
                if (strcmp(strings + aux->vna_name, argv[2]) == 0) {
                    aux->vna_flags |= VER_FLG_WEAK;
                    found = 1;
                    break;
                }
                aux_off += aux->vna_next;
            }
            need_off += need->vn_next;
        }
    }
    if (!found) { fprintf(stderr, "%s: no version need named %s\n", argv[1], argv[2]); return 1; }
    FILE *out = fopen(argv[1], "r+b");
    if (!out || fwrite(elf, 1, (size_t)size, out) != (size_t)size || fclose(out) != 0) {
        fprintf(stderr, "%s: cannot write\n", argv[1]);
        return 2;
    }
    free(elf);
    return 0;
}
