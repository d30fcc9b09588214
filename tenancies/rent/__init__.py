"""Pure rent arithmetic: allocation of payments, arrears ageing, the legal threshold, the
early-warning signal. No database here, so each rule is tested exhaustively on its own."""
