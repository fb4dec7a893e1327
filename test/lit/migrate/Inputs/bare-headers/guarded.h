#ifndef CORPUS_GUARDED_H
#define CORPUS_GUARDED_H
void decoder_block(int units);
#endif
