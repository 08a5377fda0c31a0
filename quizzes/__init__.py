"""The learning domain: questions, spaced-repetition study and timed quizzes."""
