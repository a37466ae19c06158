"""The screening instrument: indicators, the question bank, the interview logic, the decision rule, explanations.

Pure: nothing here opens a database or needs an app. Everything else reads the
instrument; the instrument reads nothing else.
"""
