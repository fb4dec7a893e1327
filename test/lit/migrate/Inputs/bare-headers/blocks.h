#pragma once
// Declarations only: nothing from varscope is named here before migration.

void encoder_block(int units);
