"""A small script that uses every question type, for engine and core tests."""

SAMPLE = """\
id: sample
title: Sample
summary: A short test consultation.
stage: analyse
intro: Hello.
closing: Thanks!
questions:
  - id: where
    type: choice
    text: Where were you?
    text_by_age:
      under_13: Where were you, little one?
    options:
      - {id: ward, label: On a ward}
      - {id: wait, label: In a waiting room, goto: mood}
  - id: likes
    type: multi_choice
    text: What was good?
    max_choices: 2
    options:
      - {id: staff, label: Staff}
      - {id: food, label: Food}
      - {id: wifi, label: Wifi}
  - id: mood
    type: scale
    text: How did it feel?
  - id: order
    type: ranking
    text: What matters most?
    options:
      - {id: a, label: Alpha}
      - {id: b, label: Beta}
      - {id: c, label: Gamma}
  - id: score
    type: score
    text: How well do they listen?
    max_length: 40
  - id: story
    type: text
    text: Anything else?
    optional: true
    max_length: 20
"""
