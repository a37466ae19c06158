// The person's own question: its recording plays without leaving the page; where there is none, the
// phone's own speech synthesis reads it if the phone has a voice for the language, marked as a machine
// voice. Without this script the page keeps the browser's own player for the question's recording.
(function () {
  "use strict";
  var lang = (document.documentElement.lang || "").toLowerCase();
  var player = null;
  var current = null;

  function regionsFor(tag) {
    if (tag === "zh-hant") return ["zh-tw", "zh-hk", "zh-mo"];
    if (tag === "zh-hans") return ["zh-cn", "zh-sg", "zh"];
    if (tag === "fil") return ["fil", "tl"];
    return [tag];
  }

  function machineVoice() {
    if (!window.speechSynthesis || !window.SpeechSynthesisUtterance) return null;
    var wanted = regionsFor(lang);
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      var tag = voices[i].lang.toLowerCase().replace("_", "-");
      for (var j = 0; j < wanted.length; j++) {
        if (tag === wanted[j] || tag.indexOf(wanted[j] + "-") === 0) return voices[i];
      }
    }
    return null;
  }

  function quiet() {
    if (player) player.pause();
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    if (current) current.classList.remove("playing");
    current = null;
  }

  function play(button) {
    var was = current;
    quiet();
    if (was === button) return;
    current = button;
    button.classList.add("playing");
    var src = button.getAttribute("data-src");
    if (src) {
      player = player || new Audio();
      player.onended = quiet;
      player.src = src;
      player.play().catch(quiet);
      return;
    }
    var target = document.getElementById(button.getAttribute("data-say"));
    var voice = machineVoice();
    if (!target || !voice) return quiet();
    var words = new SpeechSynthesisUtterance(target.textContent);
    words.voice = voice;
    words.lang = voice.lang;
    words.onend = quiet;
    window.speechSynthesis.speak(words);
  }

  function show() {
    var hasVoice = !!machineVoice();
    document.querySelectorAll("button.listen").forEach(function (button) {
      var recorded = !!button.getAttribute("data-src");
      button.hidden = !(recorded || hasVoice);
      button.querySelector(".machine").hidden = recorded;
      if (!button.hasAttribute("data-ready")) {
        button.setAttribute("data-ready", "");
        button.addEventListener("click", function () { play(button); });
      }
    });
    // The button takes the place of the browser's own player.
    document.querySelectorAll("audio[data-clip]").forEach(function (audio) { audio.hidden = true; });
  }

  show();
  if (window.speechSynthesis && "onvoiceschanged" in window.speechSynthesis) {
    window.speechSynthesis.addEventListener("voiceschanged", show);
  }
  window.addEventListener("pagehide", quiet);
})();
