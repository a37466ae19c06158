"""An Urdu interview on a phone: the person reads right to left, the officer's English stays left to right."""

from tests.browser.officer import Officer

MEASURE = """() => {
  const box = (el) => el.getBoundingClientRect();
  const group = document.querySelector("main fieldset");
  const person = group.querySelector("legend .person-lang");
  const officer = group.querySelector("legend .officer-lang");
  const choice = group.querySelector(".choice label");
  const circle = getComputedStyle(choice, "::before");
  const back = document.querySelector(".where .back");
  const progress = document.querySelector(".where .progress");
  return {
    personDirection: getComputedStyle(person).direction,
    officerDirection: getComputedStyle(officer).direction,
    personRight: box(person).right, officerLeft: box(officer).left,
    legendLeft: box(group).left, legendRight: box(group).right,
    circleLeft: parseFloat(circle.left), choiceWidth: box(choice).width,
    backLeft: back ? box(back).left : null, progressRight: box(progress).right,
    progressDirection: getComputedStyle(progress).direction,
  };
}"""


def test_an_urdu_question_reads_right_to_left_under_an_english_officer(phones):
    officer = Officer(phones(label="[ur] "))
    page = officer.page
    page.set_viewport_size({"width": 320, "height": 740})
    officer.log_in()
    officer.start(language="اردو")
    # The first page has no way back; the second is measured, with its "Back".
    page.locator("#danger_now-no").check()
    page.locator("#controller_nearby-no").check()
    officer.move_on(page.locator("main form button.primary"))
    officer.look("q-ur")
    facts = officer.evaluate(MEASURE)
    assert facts["personDirection"] == "rtl"
    assert facts["officerDirection"] == "ltr"
    assert facts["progressDirection"] == "ltr"
    # The person's question starts at the right edge, the officer's English at the left.
    assert abs(facts["personRight"] - facts["legendRight"]) < 2
    assert abs(facts["officerLeft"] - facts["legendLeft"]) < 2
    # The tick circle is on the right of each box, the way back on the right of the progress.
    assert facts["circleLeft"] > facts["choiceWidth"] / 2
    assert facts["backLeft"] > facts["progressRight"]
