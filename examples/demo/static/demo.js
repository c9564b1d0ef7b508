document.getElementById("external").textContent = "External script loaded by a nonced script: ran";
document.getElementById("external").className = "ok";
