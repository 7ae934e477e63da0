import { createRouter, createWebHistory } from 'vue-router'
import ChatPage from './pages/ChatPage.vue'
import PaymentPage from './pages/PaymentPage.vue'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: ChatPage, meta: { title: 'Chat' } },
    { path: '/payment', component: PaymentPage, meta: { title: 'Payment status' } },
  ],
})

router.afterEach((to) => {
  document.title = `${String(to.meta.title)} · SSE Chat Kit playground`
})
