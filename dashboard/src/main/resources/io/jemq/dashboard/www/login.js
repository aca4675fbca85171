// The login page: posts the admin's name and password; the answer sets the session cookie (HttpOnly).
const form = document.getElementById('login-form');
const error = document.getElementById('login-error');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  const username = document.getElementById('username').value.trim();
  const password = document.getElementById('password').value;
  if (!username || !password) {
    show('Enter a username and a password.');
    return;
  }
  try {
    const r = await fetch('/api/v2/dashboard/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Jemq-Csrf': 'login' },
      body: JSON.stringify({ username, password }),
    });
    const body = await r.json().catch(() => ({}));
    if (r.ok && body.code === 0) {
      location.replace('/#/overview');
    } else {
      show(body.message ? `Login refused: ${body.message}` : `Login refused (HTTP ${r.status})`);
    }
  } catch (e) {
    show(`The broker cannot be reached: ${e.message}`);
  }
});

function show(text) {
  error.textContent = text;
  error.hidden = false;
  document.getElementById('password').focus();
}
