"""The five public registers. A folder under registers/ that is not one of them is refused."""

from __future__ import annotations

from generator.registers import (
    declarations,
    dp_opinions,
    incorrect_declarants,
    inspection_programme,
    late_filers,
    penalty_rulings,
)
from generator.registers.schema import Register

REGISTERS: dict[str, Register] = {
    r.name: r
    for r in (
        declarations.REGISTER,
        late_filers.REGISTER,
        incorrect_declarants.REGISTER,
        penalty_rulings.REGISTER,
        inspection_programme.REGISTER,
        dp_opinions.REGISTER,
    )
}
