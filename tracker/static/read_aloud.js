// "Read this page to me": progressive enhancement with the browser's speech synthesis.
// The button stays hidden where the browser cannot speak; nothing else depends on it.
(function () {
  "use strict";
  var button = document.querySelector("button.read-aloud");
  if (!button || !window.speechSynthesis || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var label = button.querySelector(".label");
  var readLabel = label.textContent;
  var stopLabel = button.getAttribute("data-stop-label") || readLabel;
  var lang = document.documentElement.lang || "en";

  function showSpeaking(speaking) {
    label.textContent = speaking ? stopLabel : readLabel;
  }

  function pageText() {
    var main = document.getElementById("main");
    return main ? main.innerText : "";
  }

  function voiceFor(code) {
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || "").toLowerCase().indexOf(code.toLowerCase()) === 0) { return voices[i]; }
    }
    return null;
  }

  button.addEventListener("click", function () {
    if (window.speechSynthesis.speaking) {
      window.speechSynthesis.cancel();
      showSpeaking(false);
      return;
    }
    var utterance = new window.SpeechSynthesisUtterance(pageText());
    utterance.lang = lang;
    utterance.rate = 0.9;  // a little slower than usual: many readers are in a second language
    var voice = voiceFor(lang);
    if (voice) { utterance.voice = voice; }
    utterance.onend = function () { showSpeaking(false); };
    utterance.onerror = function () { showSpeaking(false); };
    window.speechSynthesis.speak(utterance);
    showSpeaking(true);
  });
  // Nothing is read out to the next person after the page changes.
  window.addEventListener("pagehide", function () { window.speechSynthesis.cancel(); });
  button.hidden = false;
})();
